#include "app/cli.h"

#include <chrono>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include "app/application.h"
#include "app/build_info.h"
#include "app/lgpd_cli.h"
#include "core/config.h"
#include "core/log.h"
#include "store/migrations.h"

namespace hcms::app {

namespace {

constexpr int kOk = 0;
constexpr int kFailure = 1;
constexpr int kUsage = 2;

// Messages for the person at the terminal: pt-BR first, English second.
void Fail(std::string_view pt, std::string_view en, std::string_view detail = {}) {
  std::cerr << "erro: " << pt;
  if (!detail.empty()) std::cerr << ": " << detail;
  std::cerr << "\nerror: " << en << "\n";
}

std::optional<Config> Load(const std::string& file) {
  auto cfg = LoadConfig({.file = file, .env = CurrentEnvironment()});
  if (!cfg) {
    Fail("configuração inválida", "invalid configuration", cfg.error().detail());
    return std::nullopt;
  }
  log::Init({.level = cfg->log.level, .json = cfg->log.format == "json"});
  return std::move(*cfg);
}

std::unique_ptr<Application> OpenApp(const Config& cfg, bool migrate) {
  auto app = Application::Open(cfg, migrate);
  if (!app) {
    log::Error("startup_failed", {{"error", app.error().ToLogString()}});
    Fail("não foi possível abrir o banco de dados", "could not open the database",
         app.error().detail().empty() ? app.error().code() : app.error().detail());
    return nullptr;
  }
  return std::move(*app);
}

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
  if (*tenant_create) return CmdTenantCreate(config_file, t_slug, t_name, t_host, t_tz);
  if (*user_create)
    return CmdUserCreate(config_file, u_tenant, u_email, u_name, u_role, u_admin, u_pw_stdin);
  return kUsage;
}

}  // namespace hcms::app
