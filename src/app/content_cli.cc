#include "app/content_cli.h"

#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include "app/application.h"
#include "app/cli_support.h"
#include "content/personal_data.h"
#include "content/wxr.h"
#include "core/config.h"
#include "core/log.h"

namespace hcms::app {

namespace {

using cli::Fail;
using cli::kFailure;
using cli::kOk;
using cli::kUsage;

std::unique_ptr<Application> Open(const std::string& config_file) {
  auto cfg = cli::Load(config_file);
  if (!cfg) return nullptr;
  return cli::OpenApp(*cfg, cfg->database.migrate_on_start);
}

// "[#########.........]  45%  2,1/4,7 MB" redrawn in place on a terminal.
void DrawProgress(int64_t done, int64_t total) {
  constexpr int kWidth = 30;
  const int pct = total > 0 ? static_cast<int>(done * 100 / total) : 0;
  const int filled = pct * kWidth / 100;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::cerr << fmt::format("\r[{}] {:3}%  {:.1f}/{:.1f} MB", bar, pct,
                           static_cast<double>(done) / 1e6, static_cast<double>(total) / 1e6)
            << std::flush;
}

int ImportWxr(const ContentCommands& c, const std::string& config_file) {
  auto app = Open(config_file);
  if (!app) return kFailure;
  auto tenant = app->tenants().FindBySlug(c.tenant);
  if (!tenant) {
    Fail("clínica não encontrada", "practice not found", c.tenant);
    return kUsage;
  }
  if (auto s = app->content().EnsureTenantDefaults(tenant->id); !s) {
    Fail("falha ao preparar a clínica", "could not prepare the practice", s.error().code());
    return kFailure;
  }
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  content::ImportOptions o{
      .tenant_id = tenant->id,
      .uploads_dir = c.uploads,
      .media_dir = app->config().MediaDir() + "/" + std::to_string(tenant->id),
      .media_base_url = "/media",
  };
  // Every imported post is scanned for personal data and flagged (LGPD detector, #5).
  o.scanner = content::PersonalDataImportScanner();
  if (tty) o.progress = DrawProgress;
  auto report = content::WxrImporter(app->content(), o).ImportFile(c.file);
  if (tty) std::cerr << "\n";
  if (!report) {
    Fail(report.error().detail().empty() ? report.error().code() : report.error().detail(),
         "import failed; nothing was changed");
    return report.error().kind() == ErrorKind::kInternal ||
                   report.error().kind() == ErrorKind::kUnavailable
               ? kFailure
               : kUsage;
  }
  std::cout << content::FormatImportReport(*report);
  return kOk;
}

int ExportWxr(const ContentCommands& c, const std::string& config_file) {
  auto app = Open(config_file);
  if (!app) return kFailure;
  auto tenant = app->tenants().FindBySlug(c.tenant);
  if (!tenant) {
    Fail("clínica não encontrada", "practice not found", c.tenant);
    return kUsage;
  }
  const std::string out = c.output.empty() ? tenant->slug + ".wxr.xml" : c.output;
  auto s = content::ExportWxr(
      app->content(),
      {.tenant_id = tenant->id,
       .site_title = tenant->name,
       .site_url = app->config().PublicUrl(static_cast<int>(app->config().server.port))},
      out);
  if (!s) {
    Fail(s.error().detail().empty() ? s.error().code() : s.error().detail(), "export failed");
    return kFailure;
  }
  std::cout << fmt::format("exportado / exported: {}\n", out);
  return kOk;
}

}  // namespace

void AddContentCommands(CLI::App& cli, ContentCommands& c) {
  auto* import = cli.add_subcommand("import", "importa conteúdo / import content");
  import->require_subcommand(1);
  c.import_wxr = import->add_subcommand(
      "wxr", "importa uma exportação WXR do WordPress / import a WordPress WXR export");
  c.import_wxr->add_option("file", c.file, "arquivo .xml ou .xml.gz / file")->required();
  c.import_wxr->add_option("--tenant", c.tenant, "clínica (slug) / practice slug")->required();
  c.import_wxr->add_option(
      "--uploads", c.uploads,
      "cópia de wp-content/uploads do site antigo / copy of the old site's uploads folder");
  auto* exp = cli.add_subcommand("export", "exporta conteúdo / export content");
  exp->require_subcommand(1);
  c.export_wxr = exp->add_subcommand("wxr", "exporta em WXR (WordPress) / export as WordPress WXR");
  c.export_wxr->add_option("--tenant", c.tenant, "clínica (slug) / practice slug")->required();
  c.export_wxr->add_option("-o,--output", c.output, "arquivo de saída / output file");
}

std::optional<int> RunContentCommands(const ContentCommands& c, const std::string& config_file) {
  if (c.import_wxr && *c.import_wxr) return ImportWxr(c, config_file);
  if (c.export_wxr && *c.export_wxr) return ExportWxr(c, config_file);
  return std::nullopt;
}

}  // namespace hcms::app
