// The medical pipeline through the real binary: settings, a run on an article, a
// blocked article, a plugin upload, and the server still serving while workers run.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/hcms_process.h"
#include "tests/support/http_client.h"

namespace hcms::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class PipelineCli : public ::testing::TestWithParam<Backend> {};

TEST_P(PipelineCli, RunsTheFiveStagesOnAnArticle) {
  HcmsProcess s({.backend = GetParam()});
  TempDir dir;
  WriteFile(dir.File("settings.json"),
            R"({"physician": {"name": "Ana Souza", "crm": "123456", "uf": "SP"},
                "disclaimers": ["informative", "emergency"]})");
  auto saved = s.Cli({"pipeline", "settings", "--file", dir.File("settings.json")});
  ASSERT_EQ(saved.status, 0) << saved.err;

  WriteFile(dir.File("ok.html"), "<p>A hipertensão é comum. Meça a pressão com regularidade.</p>");
  auto ok = s.Cli({"pipeline", "run", "--title", "Pressão alta", "--file", dir.File("ok.html")});
  ASSERT_EQ(ok.status, 0) << ok.err;
  json run = json::parse(ok.out);
  EXPECT_EQ(run["status"], "completed");
  ASSERT_EQ(run["steps"].size(), 5u);
  EXPECT_EQ(run["steps"][4]["output"]["jsonld"]["@type"], "MedicalWebPage");
  EXPECT_THAT(run["steps"][4]["output"]["html"].get<std::string>(),
              HasSubstr("Dr(a). Ana Souza – MÉDICO(A) – CRM/SP nº 123456."));

  WriteFile(dir.File("bad.html"), "<p>Método infalível: cura definitiva da hipertensão!</p>");
  auto bad = s.Cli({"pipeline", "run", "--title", "Tratamento", "--post-id", "2", "--file",
                    dir.File("bad.html")});
  EXPECT_EQ(bad.status, 3) << bad.err;
  json blocked = json::parse(bad.out);
  EXPECT_EQ(blocked["status"], "blocked");
  EXPECT_EQ(blocked["steps"][1]["output"]["findings"][0]["rule"], "GAR-01");

  // Bad settings are refused with the field named.
  WriteFile(dir.File("bad.json"), R"({"physician": {"name": "X", "crm": "1", "uf": "ZZ"}})");
  auto refused = s.Cli({"pipeline", "settings", "--file", dir.File("bad.json")});
  EXPECT_EQ(refused.status, 2);
  EXPECT_THAT(refused.err, HasSubstr("physician.uf (invalid_format)"));

  // The server kept serving.
  EXPECT_EQ(Request(s.port(), "GET", "/health")->status, 200);
  EXPECT_EQ(s.Stop(), 0);
}

TEST_P(PipelineCli, UploadsAPluginAndRefusesAHostileOne) {
  HcmsProcess s({.backend = GetParam()});
  TempDir dir;
  const std::string plugins = std::string(HCMS_BUILTIN_PLUGIN_DIR);
  WriteFile(dir.File("m.json"), R"({"name": "eco", "version": "1.0.0", "functions": ["echo"]})");
  auto added =
      s.Cli({"plugin", "add", "--wasm", plugins + "/echo.wasm", "--manifest", dir.File("m.json")});
  ASSERT_EQ(added.status, 0) << added.err;
  EXPECT_EQ(json::parse(added.out)["sha256"].get<std::string>().size(), 64u);

  WriteFile(dir.File("u.json"), R"({"name": "scan", "version": "1", "functions": ["scan"]})");
  auto refused = s.Cli(
      {"plugin", "add", "--wasm", plugins + "/ungranted.wasm", "--manifest", dir.File("u.json")});
  EXPECT_EQ(refused.status, 2);
  EXPECT_THAT(refused.err, HasSubstr("plugin_import_denied"));
}

INSTANTIATE_TEST_SUITE_P(Backends, PipelineCli,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                           return BackendName(p.param);
                         });

}  // namespace
}  // namespace hcms::testing
