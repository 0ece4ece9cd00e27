// The plugin registry: uploaded modules stored by SHA-256, validated and compiled at
// upload, registered and enabled per practice; plus the built-in stage plugins that
// ship with hcms (compiled at build time).
//
//   PluginRegistry reg(db, clock, {.cache_dir = data_dir + "/plugins", ...});
//   HCMS_TRY(auto rec, reg.Upload(tenant_id, wasm_bytes, manifest_json, user_id));
//   HCMS_TRY(LoadedPlugin p, reg.Resolve(tenant_id, "hcms-s12-medical-claims"));
//   host.Call(p, "validate", input);
//
// Thread-safe. Compilation is serialised (it is rare and CPU-heavy).

#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/clock.h"
#include "core/error.h"
#include "plugins/compiler.h"
#include "plugins/manifest.h"
#include "plugins/plugin_host.h"
#include "store/database.h"

namespace hcms::plugins {

struct PluginRecord {
  int64_t id = 0;  // 0 for built-ins
  int64_t tenant_id = 0;
  std::string sha256;
  PluginManifest manifest;
  bool enabled = true;
  bool builtin = false;
  std::string created_at;
  std::string updated_at;
};

nlohmann::json PluginRecordToJson(const PluginRecord& r);

struct BuiltinPlugin {
  std::string_view name;  // manifest name
  std::string_view file;  // <file>.wasm / <file>.so in the built-in directory
  std::string_view function;
  uint32_t grants;
};

// The stage plugins shipped with hcms.
const std::vector<BuiltinPlugin>& BuiltinPlugins();

struct RegistryOptions {
  std::string cache_dir;    // compiled uploads: <cache_dir>/<sha256>.so
  std::string builtin_dir;  // <file>.wasm and <file>.so of the built-ins
  CompileOptions compile;
  size_t max_module_bytes = 8u << 20;
  PluginLimits builtin_limits;
};

class PluginRegistry {
 public:
  PluginRegistry(store::Database& db, const Clock& clock, RegistryOptions options);

  // Validates the module (structure, imports against the manifest's grants, the
  // manifest's functions), stores it by hash, compiles it, and registers it for the
  // tenant. Errors: kTooLarge "plugin_too_large"; kInvalidArgument
  // "plugin_module_invalid", "plugin_import_denied", "plugin_manifest_mismatch",
  // "validation_failed"; kConflict "plugin_exists" (same name and version).
  Result<PluginRecord> Upload(int64_t tenant_id, std::string_view wasm,
                              const nlohmann::json& manifest, std::optional<int64_t> user_id);

  // Uploaded plugins of the tenant, then the built-ins.
  Result<std::vector<PluginRecord>> List(int64_t tenant_id);
  // kNotFound "plugin_not_found".
  Result<PluginRecord> Get(int64_t tenant_id, int64_t id);
  Status SetEnabled(int64_t tenant_id, int64_t id, bool enabled);

  // What runs for `name`: the tenant's enabled upload with that name (the latest),
  // else the built-in. kNotFound "plugin_not_found".
  Result<LoadedPlugin> Resolve(int64_t tenant_id, std::string_view name);
  // A specific uploaded plugin (enabled or not: callers check). Recompiles the
  // shared object from the stored module when the cache lost it.
  Result<LoadedPlugin> Load(const PluginRecord& record);

  // The built-in records (hashes read from the built-in directory once).
  const std::vector<PluginRecord>& builtin_records();

 private:
  Result<std::string> EnsureCompiled(const std::string& sha256);
  LoadedPlugin ToLoaded(const PluginRecord& r, std::string library_path) const;

  store::Database& db_;
  const Clock& clock_;
  RegistryOptions options_;
  std::mutex compile_mu_;
  std::once_flag builtins_once_;
  std::vector<PluginRecord> builtins_;
};

}  // namespace hcms::plugins
