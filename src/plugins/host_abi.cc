#include "plugins/host_abi.h"

#include <array>

#include <fmt/format.h>

namespace hcms::plugins {

namespace {

constexpr std::array kFunctions = {
    HostFunction{kKernelModule, "alloc", "j:j", kGrantNone},
    HostFunction{kKernelModule, "free", "j:", kGrantNone},
    HostFunction{kKernelModule, "length", "j:j", kGrantNone},
    HostFunction{kKernelModule, "length_unsafe", "j:j", kGrantNone},
    HostFunction{kKernelModule, "load_u8", "j:i", kGrantNone},
    HostFunction{kKernelModule, "load_u64", "j:j", kGrantNone},
    HostFunction{kKernelModule, "store_u8", "ji:", kGrantNone},
    HostFunction{kKernelModule, "store_u64", "jj:", kGrantNone},
    HostFunction{kKernelModule, "input_length", ":j", kGrantNone},
    HostFunction{kKernelModule, "input_offset", ":j", kGrantNone},
    HostFunction{kKernelModule, "input_load_u8", "j:i", kGrantNone},
    HostFunction{kKernelModule, "input_load_u64", "j:j", kGrantNone},
    HostFunction{kKernelModule, "output_set", "jj:", kGrantNone},
    HostFunction{kKernelModule, "error_set", "j:", kGrantNone},
    HostFunction{kKernelModule, "error_get", ":j", kGrantNone},
    HostFunction{kKernelModule, "config_get", "j:j", kGrantNone},
    HostFunction{kKernelModule, "var_get", "j:j", kGrantNone},
    HostFunction{kKernelModule, "var_set", "jj:", kGrantNone},
    HostFunction{kKernelModule, "http_request", "jj:j", kGrantNone},
    HostFunction{kKernelModule, "http_status_code", ":i", kGrantNone},
    HostFunction{kKernelModule, "http_headers", ":j", kGrantNone},
    HostFunction{kKernelModule, "log_trace", "j:", kGrantNone},
    HostFunction{kKernelModule, "log_debug", "j:", kGrantNone},
    HostFunction{kKernelModule, "log_info", "j:", kGrantNone},
    HostFunction{kKernelModule, "log_warn", "j:", kGrantNone},
    HostFunction{kKernelModule, "log_error", "j:", kGrantNone},
    HostFunction{kKernelModule, "get_log_level", ":i", kGrantNone},
    HostFunction{kKernelModule, "reset", ":", kGrantNone},
    HostFunction{kHcmsModule, "lgpd_scan", "j:j", kGrantPersonalData},
    HostFunction{kHcmsModule, "now_unix_ms", ":j", kGrantClock},
    HostFunction{kHcmsModule, "random_u64", ":j", kGrantRandom},
};

std::unexpected<Error> Denied(std::string what) {
  return std::unexpected(Error(ErrorKind::kInvalidArgument, "plugin_import_denied",
                               "O plugin importa uma função que o host não concede: " + what,
                               what));
}

}  // namespace

std::span<const HostFunction> HostFunctions() { return kFunctions; }

std::optional<Grant> ParseGrant(std::string_view name) {
  if (name == "lgpd_scan") return kGrantPersonalData;
  if (name == "now_unix_ms") return kGrantClock;
  if (name == "random_u64") return kGrantRandom;
  return std::nullopt;
}

Status CheckImports(const WasmModuleInfo& module, uint32_t grants) {
  for (const auto& imp : module.imports) {
    const HostFunction* found = nullptr;
    for (const auto& f : kFunctions) {
      if (f.module == imp.module && f.name == imp.name) found = &f;
    }
    const std::string what = fmt::format("{}/{}", imp.module, imp.name);
    if (found == nullptr) return Denied(what);
    if (found->signature != imp.signature) return Denied(what + " (assinatura diferente)");
    if (found->grant != kGrantNone && (grants & found->grant) == 0) {
      return Denied(what + " (não concedida no manifesto)");
    }
  }
  return Ok();
}

}  // namespace hcms::plugins
