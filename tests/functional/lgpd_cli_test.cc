// `hcms lgpd scan` through the real binary: plain text and JSON Lines.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/hcms_process.h"
#include "tests/support/subprocess.h"

namespace hcms::testing {
namespace {

RunResult Scan(std::vector<std::string> args, std::string input) {
  SpawnOptions o;
  o.argv = {HcmsBinary(), "lgpd", "scan"};
  for (auto& a : args) o.argv.push_back(std::move(a));
  o.env = CleanEnvironment();
  o.stdin_data = std::move(input);
  TempDir dir;
  o.stdout_path = dir.File("out");
  o.stderr_path = dir.File("err");
  return RunProcess(o);
}

TEST(LgpdScanCli, PlainTextPrintsOneAnalysis) {
  auto r = Scan({}, "Paciente Maria Souza, CPF 529.982.247-25, tel (11) 98765-4321.\n");
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["status"], "alto_risco");
  ASSERT_EQ(j["detections"].size(), 3u);
  EXPECT_EQ(j["detections"][0]["type"], "person_name");
  EXPECT_EQ(j["detections"][0]["start"], 9);
  EXPECT_EQ(j["detections"][0]["end"], 20);
  EXPECT_EQ(j["detections"][1]["type"], "cpf");
  EXPECT_EQ(j["detections"][2]["type"], "phone");
  EXPECT_THAT(j["recommendations"][0]["text"].get<std::string>(), ::testing::HasSubstr("CPF"));
  // The output never repeats the personal data it found.
  EXPECT_THAT(r.out, ::testing::Not(::testing::HasSubstr("529.982")));
}

TEST(LgpdScanCli, JsonLinesAnswersOneLinePerInputInOrder) {
  std::string in;
  in += R"({"id": 1, "text": "CPF 529.982.247-25"})"
        "\n";
  in += R"({"id": "b", "text": "Sem dados pessoais."})"
        "\n";
  in += "not json\n";
  in += R"({"id": 4})"
        "\n";
  in += "{\"id\": 5, \"text\": \"caf\\u00e9 \\u2615 e-mail ana@exemplo.com\"}\n";
  auto r = Scan({"--jsonl"}, in);
  EXPECT_EQ(r.status, 1) << r.err;  // two bad rows
  std::vector<nlohmann::json> lines;
  std::istringstream out(r.out);
  for (std::string line; std::getline(out, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0]["id"], 1);
  ASSERT_EQ(lines[0]["detections"].size(), 1u);
  EXPECT_EQ(lines[0]["detections"][0]["type"], "cpf");
  EXPECT_EQ(lines[0]["detections"][0]["start"], 4);
  EXPECT_EQ(lines[0]["detections"][0]["end"], 18);
  EXPECT_EQ(lines[1]["id"], "b");
  EXPECT_TRUE(lines[1]["detections"].empty());
  EXPECT_EQ(lines[2]["error"]["code"], "invalid_json");
  EXPECT_EQ(lines[3]["id"], 4);
  EXPECT_EQ(lines[3]["error"]["code"], "missing_text");
  EXPECT_EQ(lines[4]["id"], 5);
  ASSERT_EQ(lines[4]["detections"].size(), 1u);
  EXPECT_EQ(lines[4]["detections"][0]["start"], 14);  // code points: "café ☕ e-mail " = 14
}

TEST(LgpdScanCli, InvalidUtf8AndUnknownTypesFailCleanly) {
  auto bad = Scan({}, std::string("CPF \xC3\x28"));
  EXPECT_EQ(bad.status, 1);
  EXPECT_THAT(bad.err, ::testing::HasSubstr("invalid_utf8"));
  auto unknown = Scan({"--types", "cpf,passport"}, "x");
  EXPECT_EQ(unknown.status, 2);
  auto only = Scan({"--types", "phone"}, "CPF 529.982.247-25, tel (11) 98765-4321");
  ASSERT_EQ(only.status, 0);
  auto j = nlohmann::json::parse(only.out);
  ASSERT_EQ(j["detections"].size(), 1u);
  EXPECT_EQ(j["detections"][0]["type"], "phone");
}

TEST(LgpdAdminCli, RopaAndRetentionRunAgainstTheDatabase) {
  HcmsProcess server({.backend = Backend::kSqlite, .wait_ready = true});
  auto csv = server.Cli({"lgpd", "ropa", "--format", "csv"});
  ASSERT_EQ(csv.status, 0) << csv.err;
  EXPECT_THAT(csv.out, ::testing::StartsWith("nome,finalidade,base_legal,artigo"));
  EXPECT_THAT(csv.out, ::testing::HasSubstr("prontuario_e_atendimento"));
  auto json = server.Cli({"lgpd", "ropa"});
  ASSERT_EQ(json.status, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out)["activities"].size(), 5u);
  auto dry = server.Cli({"lgpd", "retention"});
  ASSERT_EQ(dry.status, 0) << dry.err;
  EXPECT_EQ(nlohmann::json::parse(dry.out)["dry_run"], true);
  auto apply = server.Cli({"lgpd", "retention", "--apply"});
  ASSERT_EQ(apply.status, 0) << apply.err;
  EXPECT_EQ(nlohmann::json::parse(apply.out)["dry_run"], false);
  EXPECT_EQ(server.Cli({"lgpd", "ropa", "--tenant", "nowhere"}).status, 1);
  EXPECT_EQ(server.Cli({"lgpd", "ropa", "--format", "xml"}).status, 2);
}

}  // namespace
}  // namespace hcms::testing
