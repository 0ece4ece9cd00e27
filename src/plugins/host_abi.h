// The functions a plugin may import: Extism's kernel ("extism:host/env"), which every
// plugin gets, and hcms's own host functions ("hcms:host/env"), each of which a
// plugin's manifest must grant. Anything else is refused when the module is
// uploaded, and the worker refuses an ungranted call again at run time.
//
// Signatures use the letters of WasmImport::signature ("j:j" is (i64) -> i64).
// Pointers are handles into the kernel's memory (not the guest's linear memory),
// as in Extism: the guest copies bytes in and out with load_*/store_*.

#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/error.h"
#include "plugins/wasm_module.h"

namespace hcms::plugins {

inline constexpr std::string_view kKernelModule = "extism:host/env";
inline constexpr std::string_view kHcmsModule = "hcms:host/env";

// Capabilities a manifest can grant, as bits of a mask.
enum Grant : uint32_t {
  kGrantNone = 0,
  kGrantPersonalData = 1u << 0,  // hcms:host/env lgpd_scan: the native LGPD detector
  kGrantClock = 1u << 1,         // hcms:host/env now_unix_ms
  kGrantRandom = 1u << 2,        // hcms:host/env random_u64
};

struct HostFunction {
  std::string_view module;
  std::string_view name;
  std::string_view signature;
  uint32_t grant;  // kGrantNone: part of the kernel, always available
};

// Every function the host implements.
std::span<const HostFunction> HostFunctions();

// The grant for a name used in manifests ("lgpd_scan", "now_unix_ms", "random_u64").
std::optional<Grant> ParseGrant(std::string_view name);

// Checks every import of `module` against HostFunctions() and `grants`.
// kInvalidArgument "plugin_import_denied" naming the first import that is unknown,
// has the wrong signature, or is not granted.
Status CheckImports(const WasmModuleInfo& module, uint32_t grants);

}  // namespace hcms::plugins
