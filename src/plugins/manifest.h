// A plugin's manifest: what it is, what it exports, what the host grants it, and its
// limits. Uploaded with the module (POST /api/v1/plugins) as JSON:
//
//   {"name": "s12-medical-claims", "version": "1.2.0",
//    "functions": ["validate"],
//    "host_functions": ["lgpd_scan"],
//    "limits": {"memory_mb": 64, "timeout_ms": 2000, "max_output_bytes": 4194304},
//    "config": {"mode": "strict"}}

#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/error.h"
#include "plugins/plugin_host.h"
#include "plugins/wasm_module.h"

namespace hcms::plugins {

struct PluginManifest {
  std::string name;     // [a-z0-9_-], 1-64
  std::string version;  // [0-9A-Za-z.+-], 1-32
  std::vector<std::string> functions;
  std::vector<std::string> host_functions;  // grant names (ParseGrant)
  uint32_t grants = 0;
  PluginLimits limits;
  std::map<std::string, std::string> config;
};

// Hard ceilings on what a manifest may ask for.
inline constexpr uint32_t kMaxMemoryMb = 512;
inline constexpr uint32_t kMaxTimeoutMs = 30000;
inline constexpr uint64_t kMaxOutputBytes = 64u << 20;

// kInvalidArgument "validation_failed" with one field error per problem.
Result<PluginManifest> ParseManifest(const nlohmann::json& j);
nlohmann::json ManifestToJson(const PluginManifest& m);

// The module agrees with the manifest: every listed function is an exported
// () -> i32 function, imports are allowed by the grants. kInvalidArgument
// "plugin_manifest_mismatch" / "plugin_import_denied".
Status CheckModuleAgainstManifest(const WasmModuleInfo& module, const PluginManifest& manifest);

}  // namespace hcms::plugins
