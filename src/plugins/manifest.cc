#include "plugins/manifest.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "plugins/host_abi.h"

namespace hcms::plugins {

namespace {

bool IsName(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

bool IsVersion(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '+' || c == '-'))
      return false;
  }
  return true;
}

}  // namespace

Result<PluginManifest> ParseManifest(const nlohmann::json& j) {
  Error e(ErrorKind::kInvalidArgument, "validation_failed", "O manifesto do plugin é inválido.");
  PluginManifest m;
  if (!j.is_object()) {
    e.WithField("manifest", "invalid_format", "O manifesto deve ser um objeto JSON.");
    return std::unexpected(std::move(e));
  }
  auto str = [&](const char* key) -> std::string {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  m.name = str("name");
  m.version = str("version");
  if (!IsName(m.name))
    e.WithField("name", "invalid_format", "Use 1-64 caracteres a-z, 0-9, _ ou -.");
  if (!IsVersion(m.version)) e.WithField("version", "invalid_format", "Versão inválida.");
  if (auto it = j.find("functions"); it != j.end() && it->is_array() && !it->empty()) {
    for (const auto& f : *it) {
      if (!f.is_string() || !IsSafeWasmName(f.get<std::string>())) {
        e.WithField("functions", "invalid_format", "Nome de função inválido.");
        break;
      }
      m.functions.push_back(f.get<std::string>());
    }
  } else {
    e.WithField("functions", "required", "Liste ao menos uma função exportada.");
  }
  if (auto it = j.find("host_functions"); it != j.end()) {
    if (!it->is_array()) {
      e.WithField("host_functions", "invalid_format");
    } else {
      for (const auto& f : *it) {
        auto g = f.is_string() ? ParseGrant(f.get<std::string>()) : std::nullopt;
        if (!g) {
          e.WithField("host_functions", "unknown_host_function",
                      "Funções disponíveis: lgpd_scan, now_unix_ms, random_u64.");
          break;
        }
        m.grants |= *g;
        m.host_functions.push_back(f.get<std::string>());
      }
    }
  }
  if (auto it = j.find("limits"); it != j.end()) {
    auto num = [&](const char* key, uint64_t lo, uint64_t hi, uint64_t fallback) -> uint64_t {
      auto f = it->find(key);
      if (f == it->end()) return fallback;
      if (!f->is_number_integer() || f->get<int64_t>() < 0 || f->get<uint64_t>() < lo ||
          f->get<uint64_t>() > hi) {
        e.WithField(std::string("limits.") + key, "out_of_range",
                    fmt::format("Entre {} e {}.", lo, hi));
        return fallback;
      }
      return f->get<uint64_t>();
    };
    if (!it->is_object()) {
      e.WithField("limits", "invalid_format");
    } else {
      m.limits.memory_mb = static_cast<uint32_t>(num("memory_mb", 1, kMaxMemoryMb, 64));
      m.limits.timeout_ms = static_cast<uint32_t>(num("timeout_ms", 10, kMaxTimeoutMs, 2000));
      m.limits.max_output_bytes = num("max_output_bytes", 1, kMaxOutputBytes, 4u << 20);
    }
  }
  if (auto it = j.find("config"); it != j.end()) {
    if (!it->is_object()) {
      e.WithField("config", "invalid_format");
    } else {
      for (const auto& [k, v] : it->items()) {
        if (!v.is_string() || k.size() > 128 || v.get<std::string>().size() > 65536) {
          e.WithField("config", "invalid_format", "Valores de configuração são textos.");
          break;
        }
        m.config[k] = v.get<std::string>();
      }
    }
  }
  if (!e.fields().empty()) return std::unexpected(std::move(e));
  return m;
}

nlohmann::json ManifestToJson(const PluginManifest& m) {
  return {{"name", m.name},
          {"version", m.version},
          {"functions", m.functions},
          {"host_functions", m.host_functions},
          {"limits",
           {{"memory_mb", m.limits.memory_mb},
            {"timeout_ms", m.limits.timeout_ms},
            {"max_output_bytes", m.limits.max_output_bytes}}},
          {"config", m.config}};
}

Status CheckModuleAgainstManifest(const WasmModuleInfo& module, const PluginManifest& manifest) {
  for (const auto& fn : manifest.functions) {
    bool ok = false;
    for (const auto& e : module.exports) ok = ok || (e.name == fn && e.plugin_function);
    if (!ok) {
      return std::unexpected(
          Error(ErrorKind::kInvalidArgument, "plugin_manifest_mismatch",
                fmt::format("O módulo não exporta a função \"{}\" do tipo () -> i32.", fn)));
    }
  }
  return CheckImports(module, manifest.grants);
}

}  // namespace hcms::plugins
