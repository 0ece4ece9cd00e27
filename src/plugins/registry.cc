#include "plugins/registry.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "crypto/sha256.h"
#include "plugins/host_abi.h"

namespace hcms::plugins {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kInsertModule =
    "INSERT INTO plugin_modules (sha256, size_bytes, wasm, created_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (sha256) DO NOTHING";
constexpr std::string_view kSelectModule = "SELECT wasm FROM plugin_modules WHERE sha256 = $1";
constexpr std::string_view kInsertPlugin =
    "INSERT INTO plugins (tenant_id, name, version, module_sha256, manifest, enabled, builtin, "
    "created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) "
    "RETURNING id";
constexpr std::string_view kSelectPlugins =
    "SELECT id, tenant_id, module_sha256, manifest, enabled, builtin, created_at, updated_at "
    "FROM plugins WHERE tenant_id = $1 ORDER BY name, id";
constexpr std::string_view kSelectPlugin =
    "SELECT id, tenant_id, module_sha256, manifest, enabled, builtin, created_at, updated_at "
    "FROM plugins WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kSelectByName =
    "SELECT id, tenant_id, module_sha256, manifest, enabled, builtin, created_at, updated_at "
    "FROM plugins WHERE tenant_id = $1 AND name = $2 AND enabled = $3 ORDER BY id DESC LIMIT 1";
constexpr std::string_view kSetEnabled =
    "UPDATE plugins SET enabled = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2";

Result<PluginRecord> FromRow(const store::Row& row) {
  PluginRecord r;
  r.id = row.Int("id");
  r.tenant_id = row.Int("tenant_id");
  r.sha256 = row.Text("module_sha256");
  auto manifest = nlohmann::json::parse(row.Text("manifest"), nullptr, false);
  HCMS_TRY(r.manifest, ParseManifest(manifest));
  r.enabled = row.Bool("enabled");
  r.builtin = row.Bool("builtin");
  r.created_at = row.Text("created_at");
  r.updated_at = row.Text("updated_at");
  return r;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

const std::vector<BuiltinPlugin>& BuiltinPlugins() {
  static const std::vector<BuiltinPlugin> kBuiltins = {
      {"hcms-s11-personal-data", "s11_personal_data", "analyze", kGrantPersonalData},
      {"hcms-s12-medical-claims", "s12_medical_claims", "validate", 0},
      {"hcms-s13-transform", "s13_transform", "transform", 0},
      {"hcms-s14-legal-review", "s14_legal_review", "prepare", 0},
      {"hcms-s15-packaging", "s15_packaging", "package", 0},
  };
  return kBuiltins;
}

nlohmann::json PluginRecordToJson(const PluginRecord& r) {
  nlohmann::json j = ManifestToJson(r.manifest);
  j["id"] = r.id;
  j["sha256"] = r.sha256;
  j["enabled"] = r.enabled;
  j["builtin"] = r.builtin;
  if (!r.created_at.empty()) j["created_at"] = r.created_at;
  if (!r.updated_at.empty()) j["updated_at"] = r.updated_at;
  return j;
}

PluginRegistry::PluginRegistry(store::Database& db, const Clock& clock, RegistryOptions options)
    : db_(db), clock_(clock), options_(std::move(options)) {}

const std::vector<PluginRecord>& PluginRegistry::builtin_records() {
  std::call_once(builtins_once_, [this] {
    for (const auto& b : BuiltinPlugins()) {
      PluginRecord r;
      r.builtin = true;
      r.sha256 =
          crypto::Sha256Hex(ReadAll(options_.builtin_dir + "/" + std::string(b.file) + ".wasm"));
      r.manifest.name = b.name;
      r.manifest.version = "1.0.0";
      r.manifest.functions = {std::string(b.function)};
      r.manifest.grants = b.grants;
      if (b.grants & kGrantPersonalData) r.manifest.host_functions = {"lgpd_scan"};
      r.manifest.limits = options_.builtin_limits;
      builtins_.push_back(std::move(r));
    }
  });
  return builtins_;
}

LoadedPlugin PluginRegistry::ToLoaded(const PluginRecord& r, std::string library_path) const {
  return LoadedPlugin{.key = r.sha256,
                      .name = r.manifest.name,
                      .library_path = std::move(library_path),
                      .grants = r.manifest.grants,
                      .limits = r.manifest.limits,
                      .config = r.manifest.config};
}

Result<std::string> PluginRegistry::EnsureCompiled(const std::string& sha256) {
  const std::string so = options_.cache_dir + "/" + sha256 + ".so";
  std::lock_guard lock(compile_mu_);
  std::error_code ec;
  if (fs::exists(so, ec)) return so;
  HCMS_TRY(auto row,
           db_.Run([&](store::Connection& c) { return c.QueryOne(kSelectModule, {sha256}); }));
  if (!row) return NotFound("plugin_not_found", "Módulo do plugin não encontrado.");
  const store::Blob wasm = row->Bytes("wasm");
  HCMS_TRY(auto mod, ParseWasmModule(std::span<const uint8_t>(wasm.data(), wasm.size())));
  fs::create_directories(options_.cache_dir, ec);
  CompileOptions co = options_.compile;
  if (co.work_dir.empty()) co.work_dir = options_.cache_dir;
  HCMS_CHECK(CompileModule(mod, "p" + sha256.substr(0, 16), so, co));
  return so;
}

Result<PluginRecord> PluginRegistry::Upload(int64_t tenant_id, std::string_view wasm,
                                            const nlohmann::json& manifest_json,
                                            std::optional<int64_t> user_id) {
  if (wasm.size() > options_.max_module_bytes) {
    return std::unexpected(
        Error(ErrorKind::kTooLarge, "plugin_too_large",
              fmt::format("O módulo excede {} bytes.", options_.max_module_bytes)));
  }
  HCMS_TRY(PluginManifest manifest, ParseManifest(manifest_json));
  for (const auto& b : BuiltinPlugins()) {
    if (manifest.name == b.name) {
      return Conflict("plugin_exists", "Esse nome é reservado para um plugin embutido.");
    }
  }
  HCMS_TRY(WasmModuleInfo mod, ParseWasmModule(wasm));
  HCMS_CHECK(CheckModuleAgainstManifest(mod, manifest));
  const std::string sha = crypto::Sha256Hex(mod.stripped);
  const std::string now = FormatTimestamp(clock_.Now());
  const store::Blob blob(mod.stripped.begin(), mod.stripped.end());
  HCMS_CHECK(db_.Run([&](store::Connection& c) -> Status {
    HCMS_TRY(auto n, c.Execute(kInsertModule, {sha, static_cast<int64_t>(blob.size()), blob, now}));
    (void)n;
    return Ok();
  }));
  // Compile before registering: a module that does not build is never listed.
  HCMS_TRY(std::string so, EnsureCompiled(sha));
  (void)so;
  const std::string manifest_text = ManifestToJson(manifest).dump();
  auto id = db_.Run([&](store::Connection& c) -> Result<int64_t> {
    HCMS_TRY(auto rows,
             c.Query(kInsertPlugin,
                     {tenant_id, manifest.name, manifest.version, sha, manifest_text, true, false,
                      user_id ? store::Value(*user_id) : store::Value(), now}));
    return rows[0].Int(0);
  });
  if (!id) {
    if (id.error().code() == "unique_violation") {
      return Conflict("plugin_exists", "Já existe um plugin com esse nome e versão.");
    }
    return std::unexpected(std::move(id).error());
  }
  return Get(tenant_id, *id);
}

Result<std::vector<PluginRecord>> PluginRegistry::List(int64_t tenant_id) {
  HCMS_TRY(auto rows,
           db_.Run([&](store::Connection& c) { return c.Query(kSelectPlugins, {tenant_id}); }));
  std::vector<PluginRecord> out;
  for (const auto& row : rows) {
    HCMS_TRY(auto r, FromRow(row));
    out.push_back(std::move(r));
  }
  for (const auto& b : builtin_records()) out.push_back(b);
  return out;
}

Result<PluginRecord> PluginRegistry::Get(int64_t tenant_id, int64_t id) {
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) {
    return c.QueryOne(kSelectPlugin, {tenant_id, id});
  }));
  if (!row) return NotFound("plugin_not_found", "Plugin não encontrado.");
  return FromRow(*row);
}

Status PluginRegistry::SetEnabled(int64_t tenant_id, int64_t id, bool enabled) {
  HCMS_TRY(auto n, db_.Run([&](store::Connection& c) {
    return c.Execute(kSetEnabled, {tenant_id, id, enabled, FormatTimestamp(clock_.Now())});
  }));
  if (n == 0) return NotFound("plugin_not_found", "Plugin não encontrado.");
  return Ok();
}

Result<LoadedPlugin> PluginRegistry::Load(const PluginRecord& record) {
  if (record.builtin) {
    for (const auto& b : BuiltinPlugins()) {
      if (record.manifest.name == b.name) {
        return ToLoaded(record, options_.builtin_dir + "/" + std::string(b.file) + ".so");
      }
    }
    return NotFound("plugin_not_found", "Plugin não encontrado.");
  }
  HCMS_TRY(std::string so, EnsureCompiled(record.sha256));
  return ToLoaded(record, std::move(so));
}

Result<LoadedPlugin> PluginRegistry::Resolve(int64_t tenant_id, std::string_view name) {
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) {
    return c.QueryOne(kSelectByName, {tenant_id, name, true});
  }));
  if (row) {
    HCMS_TRY(auto rec, FromRow(*row));
    return Load(rec);
  }
  for (const auto& b : builtin_records()) {
    if (b.manifest.name == name) return Load(b);
  }
  return NotFound("plugin_not_found", "Plugin não encontrado.");
}

}  // namespace hcms::plugins
