#include "app/cli.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "app/application.h"
#include "app/build_info.h"
#include "app/cli_support.h"
#include "app/content_cli.h"
#include "app/lgpd_cli.h"
#include "audit/audit_log.h"
#include "core/config.h"
#include "core/log.h"
#include "core/resource_class.h"
#include "crypto/jwt.h"
#include "policy/permissions.h"
#include "store/migrations.h"

namespace hcms::app {

namespace {

using cli::Fail;
using cli::kFailure;
using cli::kOk;
using cli::kUsage;
using cli::Load;
using cli::OpenApp;

void PrintFirstAdmin(const FirstAdmin& a, const Config& cfg) {
  std::cout << "\n"
            << "  ================================================================\n"
            << "  Primeiro administrador criado  /  First administrator created\n"
            << "    clínica / practice : " << a.tenant_slug << "\n"
            << "    e-mail             : " << a.email << "\n"
            << "    senha / password   : " << a.password << "\n"
            << "  Guarde esta senha: ela é mostrada só desta vez.\n"
            << "  Keep this password: it is shown only this once.\n"
            << "  Dados / data: " << cfg.data_dir << "\n"
            << "  ================================================================\n\n"
            << std::flush;
}

int CmdServe(const std::string& config_file, std::chrono::steady_clock::time_point started) {
  auto cfg = Load(config_file);
  if (!cfg) return kUsage;
  auto app = OpenApp(*cfg, cfg->database.migrate_on_start);
  if (!app) return kFailure;
  if (!cfg->database.migrate_on_start) {
    auto version = store::SchemaVersion(app->db());
    const int latest = store::BuiltinMigrations(app->db().dialect()).back().version;
    if (!version || *version < latest) {
      Fail("o esquema do banco está desatualizado; rode `hcms migrate`",
           "the database schema is behind; run `hcms migrate`");
      return kFailure;
    }
  }
  auto first = app->Bootstrap();
  if (!first) {
    log::Error("bootstrap_failed", {{"error", first.error().ToLogString()}});
    Fail("falha ao criar o primeiro administrador", "could not create the first administrator");
    return kFailure;
  }
  if (*first) PrintFirstAdmin(**first, *cfg);
  return app->Serve(started);
}

int CmdMigrate(const std::string& config_file) {
  auto cfg = Load(config_file);
  if (!cfg) return kUsage;
  auto app = OpenApp(*cfg, false);
  if (!app) return kFailure;
  auto report = store::Migrate(app->db(), store::BuiltinMigrations(app->db().dialect()),
                               SystemClock::Instance());
  if (!report) {
    log::Error("migration_failed", {{"error", report.error().ToLogString()}});
    Fail("migração falhou e foi desfeita", "migration failed and was rolled back",
         report.error().code());
    return kFailure;
  }
  std::cout << fmt::format(
      "esquema / schema: versão {} -> {} ({} migração(ões) aplicada(s) / applied)\n",
      report->from_version, report->to_version, report->applied.size());
  return kOk;
}

int CmdConfigCheck(const std::string& config_file) {
  auto cfg = LoadConfig({.file = config_file, .env = CurrentEnvironment()});
  if (!cfg) {
    Fail("configuração inválida", "invalid configuration", cfg.error().detail());
    return kUsage;
  }
  std::cout << RenderConfig(*cfg);
  std::cerr << "configuração válida / configuration is valid\n";
  return kOk;
}

int CmdTenantCreate(const std::string& config_file, const std::string& slug,
                    const std::string& name, const std::string& host, const std::string& timezone) {
  auto cfg = Load(config_file);
  if (!cfg) return kUsage;
  auto app = OpenApp(*cfg, cfg->database.migrate_on_start);
  if (!app) return kFailure;
  tenants::NewTenant t{.slug = slug, .name = name, .timezone = timezone};
  if (!host.empty()) t.host = host;
  auto created = app->tenants().Create(t);
  if (!created) {
    std::string fields;
    for (const auto& f : created.error().fields())
      fields += (fields.empty() ? "" : ", ") + f.field + " (" + f.code + ")";
    Fail(created.error().detail().empty() ? "não foi possível criar a clínica"
                                          : created.error().detail(),
         "could not create the practice", fields.empty() ? created.error().code() : fields);
    return created.error().kind() == ErrorKind::kInvalidArgument ? kUsage : kFailure;
  }
  std::cout << fmt::format("clínica criada / practice created: id={} slug={}\n", created->id,
                           created->slug);
  return kOk;
}

int CmdUserCreate(const std::string& config_file, std::string tenant_slug, const std::string& email,
                  const std::string& name, std::string role_name, bool admin, bool password_stdin) {
  auto cfg = Load(config_file);
  if (!cfg) return kUsage;
  if (admin) role_name = "practice_admin";
  auto role = accounts::ParseRole(role_name);
  if (!role) {
    Fail("papel desconhecido", "unknown role", role_name);
    return kUsage;
  }
  std::string password;
  bool generated = false;
  if (password_stdin) {
    std::getline(std::cin, password);
    if (auto s = accounts::CheckPasswordPolicy(password); !s) {
      Fail(s.error().detail(), "password does not meet the policy (12+ characters)");
      return kUsage;
    }
  } else {
    password = accounts::GeneratePassword(20);
    generated = true;
  }
  auto app = OpenApp(*cfg, cfg->database.migrate_on_start);
  if (!app) return kFailure;
  if (tenant_slug.empty()) tenant_slug = cfg->server.default_tenant;
  auto tenant = app->tenants().FindBySlug(tenant_slug);
  if (!tenant) {
    Fail("clínica não encontrada", "practice not found", tenant_slug);
    return kFailure;
  }
  auto hash = accounts::HashPassword(password, app->password_params());
  if (!hash) {
    Fail("falha ao proteger a senha", "could not hash the password");
    return kFailure;
  }
  auto user = app->users().Create(
      tenant->id, {.email = email, .display_name = name, .role = *role, .password_hash = *hash});
  if (!user) {
    std::string fields;
    for (const auto& f : user.error().fields())
      fields += (fields.empty() ? "" : ", ") + f.field + " (" + f.code + ")";
    Fail(user.error().detail().empty() ? "não foi possível criar o usuário" : user.error().detail(),
         "could not create the user", fields.empty() ? user.error().code() : fields);
    return user.error().kind() == ErrorKind::kInvalidArgument ? kUsage : kFailure;
  }
  std::cout << fmt::format(
      "usuário criado / user created: id={} papel/role={} clínica/practice={}\n", user->id,
      accounts::RoleName(user->role), tenant->slug);
  if (generated) {
    std::cout << "senha gerada (mostrada só desta vez) / generated password (shown only once): "
              << password << "\n";
  }
  return kOk;
}

int CmdAuditVerify(const std::string& config_file) {
  auto cfg = Load(config_file);
  if (!cfg) return kUsage;
  auto app = OpenApp(*cfg, cfg->database.migrate_on_start);
  if (!app) return kFailure;
  if (auto s = app->audit().Flush(); !s) return kFailure;
  auto report = audit::VerifyAuditTrail(app->db(), app->audit_key());
  if (!report) {
    Fail("não foi possível ler a trilha de auditoria", "could not read the audit trail",
         report.error().code());
    return kFailure;
  }
  std::cout << fmt::format(
      "entradas / entries: {}  checkpoints: {}  cabeça / head: {}  chave / key: {}\n",
      report->entries, report->checkpoints, report->head_seq, app->audit_key().key_id());
  if (report->ok) {
    std::cout << "trilha íntegra / audit trail intact\n";
    return kOk;
  }
  std::cout << fmt::format(
      "TRILHA ADULTERADA / AUDIT TRAIL TAMPERED\n"
      "  primeira entrada inválida / first bad entry: seq={}{}\n"
      "  problema / problem: {}\n  {}\n",
      report->first_bad_seq.value_or(0),
      report->first_bad_id.empty() ? "" : " id=" + report->first_bad_id, report->problem,
      report->detail);
  return kFailure;
}

void FailWith(const Error& e, std::string_view en);

int CmdRoutes(const std::string& config_file, bool json) {
  auto cfg = Load(config_file);
  if (!cfg) return kUsage;
  auto app = OpenApp(*cfg, cfg->database.migrate_on_start);
  if (!app) return kFailure;
  // The plugin and pipeline routes exist only with the plugin host, as in `serve`
  // (which refuses to start without it): list them too.
  if (auto s = app->StartPipeline(/*resume=*/false, /*pipeline_threads=*/0); !s) {
    FailWith(s.error(), "the plugin host could not start");
    return kFailure;
  }
  ops::HealthRegistry health;
  ops::MetricsRegistry metrics;
  auto routes = app->BuildRoutes(
      health, metrics, [] { return true; }, [] { return std::string(); });
  const auto policy = app->policy().config();
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : routes->router.routes()) {
    nlohmann::json j = {{"method", http::MethodName(r->method)},
                        {"pattern", r->pattern},
                        {"resource_class", ResourceClassName(r->resource_class)}};
    const api::RouteInfo* info = nullptr;
    for (const auto& i : routes->api->routes()) {
      if (i.method == r->method && i.pattern == r->pattern) info = &i;
    }
    if (info == nullptr) {
      j["permission"] = nullptr;  // operations route outside the API layer
    } else {
      j["permission"] = policy::PermissionName(info->permission);
      j["app_passwords"] = info->allow_app_passwords;
      j["required_score"] =
          std::max(policy->Required(info->resource_class), policy::MinimumScore(info->permission));
      nlohmann::json roles = nlohmann::json::array();
      for (int role = 0; role < 7; ++role) {
        if (policy->Grants(static_cast<accounts::Role>(role)) & policy::Bit(info->permission))
          roles.push_back(accounts::RoleName(static_cast<accounts::Role>(role)));
      }
      j["roles"] = roles;
    }
    out.push_back(j);
  }
  if (json) {
    std::cout << out.dump(2) << "\n";
  } else {
    for (const auto& j : out) {
      std::cout << fmt::format(
          "{:<7} {:<48} {:<22} {}\n", j["method"].get<std::string>(),
          j["pattern"].get<std::string>(), j["resource_class"].get<std::string>(),
          j["permission"].is_null() ? "(operations)" : j["permission"].get<std::string>());
    }
  }
  return kOk;
}

int CmdRotateKeys(const std::string& config_file) {
  auto cfg = Load(config_file);
  if (!cfg) return kUsage;
  auto ring = crypto::RotateKeyRing(cfg->JwtKeysPath(), SystemClock::Instance().Now());
  if (!ring) {
    Fail("não foi possível girar as chaves", "could not rotate the keys", ring.error().code());
    return kFailure;
  }
  std::cout << fmt::format(
      "nova chave ativa / new active key: {} ({} chave(s) aceitas / keys accepted)\n"
      "envie SIGHUP ao servidor para aplicar / send SIGHUP to the server to apply\n",
      ring->active, ring->keys.size());
  return kOk;
}

// Loads the config, opens the app and finds the practice; nullptr after printing why.
std::unique_ptr<Application> OpenForTenant(const std::string& config_file, std::string slug,
                                           int64_t* tenant_id) {
  auto cfg = Load(config_file);
  if (!cfg) return nullptr;
  auto app = OpenApp(*cfg, cfg->database.migrate_on_start);
  if (!app) return nullptr;
  if (slug.empty()) slug = cfg->server.default_tenant;
  auto tenant = app->tenants().FindBySlug(slug);
  if (!tenant) {
    Fail("clínica não encontrada", "practice not found", slug);
    return nullptr;
  }
  *tenant_id = tenant->id;
  return app;
}

std::optional<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Fail("não foi possível ler o arquivo", "cannot read the file", path);
    return std::nullopt;
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void FailWith(const Error& e, std::string_view en) {
  std::string fields;
  for (const auto& f : e.fields())
    fields += (fields.empty() ? "" : ", ") + f.field + " (" + f.code + ")";
  Fail(e.detail().empty() ? e.code() : e.detail(), en, fields.empty() ? e.code() : fields);
}

// `hcms pipeline settings --file settings.json`: the practice's pipeline settings.
int CmdPipelineSettings(const std::string& config_file, const std::string& slug,
                        const std::string& file) {
  int64_t tenant = 0;
  auto app = OpenForTenant(config_file, slug, &tenant);
  if (!app) return kFailure;
  auto text = ReadWhole(file);
  if (!text) return kUsage;
  auto json = nlohmann::json::parse(*text, nullptr, false);
  pipeline::SettingsRepository settings(app->db(), SystemClock::Instance());
  auto saved = settings.Put(tenant, json);
  if (!saved) {
    FailWith(saved.error(), "invalid pipeline settings");
    return kUsage;
  }
  std::cout << saved->dump(2) << "\n";
  return kOk;
}

// `hcms pipeline run --post-id N --title T --file article.html`: runs S.1.1-S.1.5 on
// the file and prints the run. Exit 0 when completed, 3 when it stopped (blocked,
// awaiting approval, failed).
int CmdPipelineRun(const std::string& config_file, const std::string& slug, int64_t post_id,
                   const std::string& title, const std::string& file) {
  int64_t tenant = 0;
  auto app = OpenForTenant(config_file, slug, &tenant);
  if (!app) return kFailure;
  auto content = ReadWhole(file);
  if (!content) return kUsage;
  if (auto s = app->StartPipeline(/*resume=*/false, /*pipeline_threads=*/0); !s) {
    FailWith(s.error(), "the plugin host could not start");
    return kFailure;
  }
  pipeline::PostSnapshot post{.post_id = post_id, .title = title, .content = *content};
  auto run = app->orchestrator().Start(tenant, post, std::nullopt);
  if (!run) {
    FailWith(run.error(), "the pipeline could not start");
    return kFailure;
  }
  auto final_run = app->orchestrator().Get(tenant, run->id);
  if (!final_run) return kFailure;
  std::cout << pipeline::RunToJson(*final_run, true).dump(2) << "\n";
  return final_run->status == "completed" ? kOk : 3;
}

// `hcms plugin add --wasm plugin.wasm --manifest manifest.json`.
int CmdPluginAdd(const std::string& config_file, const std::string& slug, const std::string& wasm,
                 const std::string& manifest) {
  int64_t tenant = 0;
  auto app = OpenForTenant(config_file, slug, &tenant);
  if (!app) return kFailure;
  auto bytes = ReadWhole(wasm);
  auto text = ReadWhole(manifest);
  if (!bytes || !text) return kUsage;
  if (auto s = app->StartPipeline(/*resume=*/false, 0); !s) {
    FailWith(s.error(), "the plugin host could not start");
    return kFailure;
  }
  auto rec = app->plugin_registry().Upload(
      tenant, *bytes, nlohmann::json::parse(*text, nullptr, false), std::nullopt);
  if (!rec) {
    FailWith(rec.error(), "the plugin was refused");
    return kUsage;
  }
  std::cout << plugins::PluginRecordToJson(*rec).dump(2) << "\n";
  return kOk;
}

}  // namespace

int RunCli(int argc, char** argv) {
  const auto started = std::chrono::steady_clock::now();
  log::Init({});
  CLI::App cli{"hcms — CMS para clínicas e organizações de saúde / healthcare CMS", "hcms"};
  cli.require_subcommand(1);
  cli.fallthrough();  // --config may follow the subcommand
  std::string config_file;
  cli.add_option("-c,--config", config_file,
                 "arquivo TOML de configuração / TOML config file (or HCMS_CONFIG)");

  auto* serve = cli.add_subcommand("serve", "inicia o servidor / start the server");
  auto* migrate =
      cli.add_subcommand("migrate", "aplica migrações pendentes / apply pending migrations");
  auto* config = cli.add_subcommand("config", "configuração / configuration");
  auto* config_check = config->add_subcommand(
      "check", "valida e mostra a configuração efetiva / validate and print the effective config");
  config->require_subcommand(1);
  auto* version = cli.add_subcommand("version", "mostra a versão / print the version");

  auto* tenant = cli.add_subcommand("tenant", "clínicas / practices");
  tenant->require_subcommand(1);
  auto* tenant_create = tenant->add_subcommand("create", "cria uma clínica / create a practice");
  std::string t_slug, t_name, t_host, t_tz = "America/Sao_Paulo";
  tenant_create->add_option("--slug", t_slug, "identificador / identifier (a-z, 0-9, -)")
      ->required();
  tenant_create->add_option("--name", t_name, "nome / name")->required();
  tenant_create->add_option("--host", t_host, "domínio / host name");
  tenant_create->add_option("--timezone", t_tz, "fuso IANA / IANA time zone");

  auto* user = cli.add_subcommand("user", "usuários / users");
  user->require_subcommand(1);
  auto* user_create = user->add_subcommand("create", "cria um usuário / create a user");
  std::string u_tenant, u_email, u_name, u_role = "reader";
  bool u_admin = false, u_pw_stdin = false;
  user_create->add_option("--tenant", u_tenant,
                          "clínica (slug) / practice slug; default: server.default_tenant");
  user_create->add_option("--email", u_email, "e-mail")->required();
  user_create->add_option("--name", u_name, "nome / name")->required();
  auto* role_opt = user_create->add_option("--role", u_role, "papel / role");
  user_create->add_flag("--admin", u_admin, "administrador da clínica / practice admin")
      ->excludes(role_opt);
  user_create->add_flag(
      "--password-stdin", u_pw_stdin,
      "lê a senha da entrada padrão; sem isto uma senha é gerada / read the password from stdin");

  auto* lgpd = cli.add_subcommand("lgpd", "dados pessoais (LGPD) / personal data (LGPD)");
  lgpd->require_subcommand(1);
  auto* lgpd_scan = lgpd->add_subcommand(
      "scan", "detecta dados pessoais na entrada padrão / detect personal data on stdin");
  LgpdScanOptions scan_opts;
  lgpd_scan->add_flag(
      "--jsonl", scan_opts.jsonl,
      "JSON Lines {\"id\",\"text\"} -> {\"id\",\"detections\"} por linha / per line");
  lgpd_scan
      ->add_option("--min-confidence", scan_opts.min_confidence,
                   "confiança mínima / minimum confidence (0-1)")
      ->check(CLI::Range(0.0, 1.0));
  lgpd_scan->add_option("--types", scan_opts.types, "tipos / types (cpf,email,...)")
      ->delimiter(',');
  lgpd_scan->add_option("--lang", scan_opts.lang, "pt-BR | en (recomendações / recommendations)");

  auto* lgpd_ropa = lgpd->add_subcommand(
      "ropa", "registro das operações de tratamento (art. 37) / record of processing");
  std::string lgpd_tenant, ropa_format = "json";
  lgpd_ropa->add_option("--tenant", lgpd_tenant, "clínica (slug) / practice slug");
  lgpd_ropa->add_option("--format", ropa_format, "json | csv");
  auto* lgpd_retention = lgpd->add_subcommand(
      "retention", "job de retenção (simulação por padrão) / retention job (dry run by default)");
  bool retention_apply = false;
  lgpd_retention->add_option("--tenant", lgpd_tenant, "clínica (slug) / practice slug");
  lgpd_retention->add_flag("--apply", retention_apply,
                           "anonimiza/elimina de fato / really anonymise or delete");
  auto* audit_cmd = cli.add_subcommand("audit", "trilha de auditoria / audit trail");
  audit_cmd->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand(
      "verify", "confere a cadeia e os checkpoints / check the hash chain and checkpoints");
  auto* routes_cmd =
      cli.add_subcommand("routes", "lista as rotas e permissões / list routes and permissions");
  bool routes_json = false;
  routes_cmd->add_flag("--json", routes_json, "saída JSON / JSON output");
  auto* auth_cmd = cli.add_subcommand("auth", "autenticação / authentication");
  auth_cmd->require_subcommand(1);
  auto* rotate =
      auth_cmd->add_subcommand("rotate-keys", "nova chave de assinatura JWT / new JWT signing key");
  ContentCommands content_cmds;
  AddContentCommands(cli, content_cmds);
  auto* pipeline_cmd =
      cli.add_subcommand("pipeline", "pipeline médico S.1.1-S.1.5 / medical pipeline");
  pipeline_cmd->require_subcommand(1);
  std::string p_tenant, p_file, p_title;
  int64_t p_post = 1;
  auto* pipeline_run = pipeline_cmd->add_subcommand(
      "run", "roda as cinco etapas num arquivo HTML / run the five stages on an HTML file");
  pipeline_run->add_option("--tenant", p_tenant, "clínica (slug) / practice slug");
  pipeline_run->add_option("--file", p_file, "conteúdo HTML / HTML content")->required();
  pipeline_run->add_option("--title", p_title, "título / title")->required();
  pipeline_run->add_option("--post-id", p_post, "id do post / post id");
  auto* pipeline_settings = pipeline_cmd->add_subcommand(
      "settings", "grava as configurações do pipeline (JSON) / save the pipeline settings");
  pipeline_settings->add_option("--tenant", p_tenant, "clínica (slug) / practice slug");
  pipeline_settings->add_option("--file", p_file, "arquivo JSON / JSON file")->required();

  auto* plugin_cmd = cli.add_subcommand("plugin", "plugins WebAssembly / WebAssembly plugins");
  plugin_cmd->require_subcommand(1);
  std::string pl_wasm, pl_manifest;
  auto* plugin_add = plugin_cmd->add_subcommand("add", "registra um plugin / register a plugin");
  plugin_add->add_option("--tenant", p_tenant, "clínica (slug) / practice slug");
  plugin_add->add_option("--wasm", pl_wasm, "módulo .wasm / .wasm module")->required();
  plugin_add->add_option("--manifest", pl_manifest, "manifesto JSON / JSON manifest")->required();

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? kOk : kUsage;
  }

  if (*serve) return CmdServe(config_file, started);
  if (*migrate) return CmdMigrate(config_file);
  if (*config_check) return CmdConfigCheck(config_file);
  if (*version) {
    std::cout << fmt::format("hcms {} (commit {}, {}, {})\n", kVersion, kCommit, kCompiler,
                             kBuildType);
    return kOk;
  }
  if (*lgpd_scan) return RunLgpdScan(scan_opts, std::cin, std::cout, std::cerr);
  if (*lgpd_ropa || *lgpd_retention) {
    auto cfg = Load(config_file);
    if (!cfg) return kUsage;
    auto app = OpenApp(*cfg, cfg->database.migrate_on_start);
    if (!app) return kFailure;
    return *lgpd_ropa ? RunLgpdRopa(*app, lgpd_tenant, ropa_format, std::cout, std::cerr)
                      : RunLgpdRetention(*app, lgpd_tenant, retention_apply, std::cout, std::cerr);
  }
  if (*audit_verify) return CmdAuditVerify(config_file);
  if (*routes_cmd) return CmdRoutes(config_file, routes_json);
  if (*rotate) return CmdRotateKeys(config_file);
  if (auto code = RunContentCommands(content_cmds, config_file)) return *code;
  if (*tenant_create) return CmdTenantCreate(config_file, t_slug, t_name, t_host, t_tz);
  if (*pipeline_run) return CmdPipelineRun(config_file, p_tenant, p_post, p_title, p_file);
  if (*pipeline_settings) return CmdPipelineSettings(config_file, p_tenant, p_file);
  if (*plugin_add) return CmdPluginAdd(config_file, p_tenant, pl_wasm, pl_manifest);
  if (*user_create)
    return CmdUserCreate(config_file, u_tenant, u_email, u_name, u_role, u_admin, u_pw_stdin);
  return kUsage;
}

}  // namespace hcms::app
