// The built-in stage plugins (plugins/builtin/*.c) run in the real host: the rules of
// research/cfm-rules.md, the notices, the checklist and the sanitiser.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "plugins/host_abi.h"
#include "plugins/host_functions.h"
#include "plugins/plugin_host.h"

namespace hcms::plugins {
namespace {

using nlohmann::json;

class StagePluginsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    host_ = new PluginHost({.worker_path = HCMS_PLUGIN_WORKER_PATH,
                            .host_functions = DefaultHostFunctions(),
                            .workers = 2});
    // Build the detector's pattern database here, not inside a call's time budget.
    (void)PersonalDataScan()("");
  }
  static void TearDownTestSuite() {
    delete host_;
    host_ = nullptr;
  }

  static json Practice() {
    return {{"name", "Clínica Coração"},
            {"url", "https://clinica.example"},
            {"physician",
             {{"name", "Ana Souza"},
              {"crm", "123456"},
              {"uf", "SP"},
              {"rqe", "5555"},
              {"specialty", "Cardiologia"},
              {"gender", "f"}}}};
  }

  static json Doc(std::string title, std::string html, json practice = Practice(),
                  json previous = json::object()) {
    return {{"post",
             {{"id", 7},
              {"title", std::move(title)},
              {"content", std::move(html)},
              {"url", "https://clinica.example/p/7"},
              {"published_at", "2026-11-20T10:00:00Z"},
              {"modified_at", "2026-11-24T10:00:00Z"}}},
            {"practice", std::move(practice)},
            {"previous", std::move(previous)}};
  }

  static json Run(const std::string& plugin, const std::string& fn, const json& input,
                  uint32_t grants = 0) {
    LoadedPlugin p{.key = plugin,
                   .name = plugin,
                   .library_path = std::string(HCMS_BUILTIN_PLUGIN_DIR) + "/" + plugin + ".so",
                   .grants = grants};
    auto r = host_->Call(p, fn, input.dump());
    EXPECT_TRUE(r) << r.error().ToLogString();
    if (!r) return json();
    return json::parse(r->output);
  }

  static json Claims(const std::string& text, json practice = Practice()) {
    return Run("s12_medical_claims", "validate", Doc("", "<p>" + text + "</p>", practice));
  }

  // "RULE:severity" for each finding.
  static std::vector<std::string> Fired(const json& out) {
    std::vector<std::string> v;
    for (const auto& f : out["findings"]) {
      v.push_back(f["rule"].get<std::string>() + ":" + f["severity"].get<std::string>());
    }
    return v;
  }

  static PluginHost* host_;
};

PluginHost* StagePluginsTest::host_ = nullptr;

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST_F(StagePluginsTest, GuaranteedResultBlocksWithSpanAndRemediation) {
  json out = Claims("Nosso tratamento oferece cura garantida para a enxaqueca.");
  EXPECT_EQ(out["status"], "block");
  EXPECT_EQ(out["medical_validation_passed"], false);
  ASSERT_EQ(out["findings"].size(), 1u);
  const json& f = out["findings"][0];
  EXPECT_EQ(f["rule"], "GAR-01");
  EXPECT_EQ(f["match"], "cura garantida");
  EXPECT_EQ(f["start"], 25);  // code points
  EXPECT_EQ(f["end"], 39);
  EXPECT_NE(f["remediation"].get<std::string>().find("Não é permitido prometer"),
            std::string::npos);
}

TEST_F(StagePluginsTest, WarningFramesDoNotFire) {
  for (const char* text : {"Desconfie de quem promete cura garantida.",
                           "Cuidado com clínicas que anunciam resultado garantido.",
                           "É mito que exista tratamento 100% seguro.",
                           "Ninguém pode garantir resultado permanente."}) {
    json out = Claims(text);
    EXPECT_EQ(out["status"], "pass") << text;
    EXPECT_THAT(Fired(out), IsEmpty()) << text;
    EXPECT_EQ(out["suppressed"].size(), 1u) << text;
  }
}

TEST_F(StagePluginsTest, PlainNegationDowngradesToWarn) {
  json out = Claims("Nenhum procedimento é isento: não é 100% seguro.");
  EXPECT_THAT(Fired(out), ElementsAre("GAR-02:warn"));
  EXPECT_EQ(out["status"], "pass");
}

TEST_F(StagePluginsTest, AccentsAndCaseAreFolded) {
  json out = Claims("MÉTODO INFALÍVEL contra a calvície");
  EXPECT_THAT(Fired(out), ElementsAre("GAR-01:block"));
  EXPECT_EQ(out["findings"][0]["match"], "MÉTODO INFALÍVEL");
}

TEST_F(StagePluginsTest, SensationalismIsReviewAloneAndBlockNextToAGuarantee) {
  EXPECT_THAT(Fired(Claims("Uma descoberta revolucionária da cardiologia.")),
              ElementsAre("SENS-01:needs_review"));
  EXPECT_THAT(Fired(Claims("Fórmula mágica: sucesso garantido.")),
              ElementsAre("SENS-01:block", "GAR-01:block"));
}

TEST_F(StagePluginsTest, CommercialCueRaisesOneLevel) {
  EXPECT_THAT(Fired(Claims("Veja o antes e depois.")), ElementsAre("IMG-01:needs_review"));
  EXPECT_THAT(Fired(Claims("Veja o antes e depois da minha paciente.")),
              ElementsAre("IMG-01:block", "IMG-01:block"));
}

TEST_F(StagePluginsTest, SpecialtyNeedsRqe) {
  json with_rqe = Claims("Sou cardiologista há 20 anos.");
  EXPECT_THAT(Fired(with_rqe), IsEmpty());
  json practice = Practice();
  practice["physician"].erase("rqe");
  EXPECT_THAT(Fired(Claims("Sou cardiologista há 20 anos.", practice)),
              ElementsAre("ESP-01:block"));
}

TEST_F(StagePluginsTest, PrescriptionDrugBrandIsReviewAndBlockWithAPurchaseCue) {
  EXPECT_THAT(Fired(Claims("O Ozempic é usado no diabetes tipo 2.")),
              ElementsAre("MED-01:needs_review"));
  EXPECT_THAT(Fired(Claims("Ozempic com preço especial.")), ElementsAre("MED-01:block"));
}

TEST_F(StagePluginsTest, PricesAreGraded) {
  EXPECT_THAT(Fired(Claims("Pacote de sessões com 20% de desconto.")),
              ElementsAre("PRECO-01:block"));
  EXPECT_THAT(Fired(Claims("Avaliação gratuita para novos pacientes.")),
              ElementsAre("PRECO-01:needs_review"));
}

TEST_F(StagePluginsTest, FactualClaimWithoutSourceNeedsReview) {
  EXPECT_THAT(Fired(Claims("Estudos mostram que caminhar reduz a pressão.")),
              ElementsAre("CDC-01:needs_review"));
  EXPECT_THAT(Fired(Claims("Estudos mostram que caminhar reduz a pressão (fonte: "
                           "https://doi.org/10.1000/x).")),
              IsEmpty());
}

TEST_F(StagePluginsTest, MissingPhysicianIdentificationBlocks) {
  json practice = Practice();
  practice.erase("physician");
  json out = Claims("Texto neutro sobre hidratação.", practice);
  EXPECT_THAT(Fired(out), ElementsAre("ID-01:block"));
  EXPECT_TRUE(out["findings"][0]["start"].is_null());
}

TEST_F(StagePluginsTest, IdentifiablePatientFromS11Blocks) {
  json in = Doc("", "<p>Texto.</p>", Practice(), {{"s1.1", {{"linked_person", true}}}});
  json out = Run("s12_medical_claims", "validate", in);
  EXPECT_THAT(Fired(out), ElementsAre("PAC-01:block"));
}

TEST_F(StagePluginsTest, NeutralArticlePasses) {
  json out = Claims(
      "A hipertensão arterial é uma doença crônica. Medir a pressão regularmente e seguir a "
      "orientação do seu médico ajudam no controle.");
  EXPECT_EQ(out["status"], "pass");
  EXPECT_THAT(Fired(out), IsEmpty());
}

TEST_F(StagePluginsTest, BadInputIsAPluginError) {
  LoadedPlugin p{.key = "s12_medical_claims",
                 .name = "s12_medical_claims",
                 .library_path = std::string(HCMS_BUILTIN_PLUGIN_DIR) + "/s12_medical_claims.so"};
  auto r = host_->Call(p, "validate", "not json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "plugin_error");
}

TEST_F(StagePluginsTest, TransformAddsPhysicianAndConfiguredNotices) {
  json practice = Practice();
  practice["disclaimers"] = {"informative", "emergency", "dates"};
  json out = Run("s13_transform", "transform", Doc("T", "<p>Corpo</p>", practice));
  EXPECT_EQ(out["status"], "pass");
  EXPECT_EQ(out["added"], json({"physician", "informative", "emergency", "dates"}));
  const std::string html = out["content"];
  EXPECT_EQ(html.rfind("<p>Corpo</p>", 0), 0u);
  EXPECT_NE(html.find("Dra. Ana Souza – MÉDICA – CRM/SP nº 123456 – Cardiologia – RQE nº 5555."),
            std::string::npos);
  EXPECT_NE(html.find("ligue 192 (SAMU)"), std::string::npos);
  EXPECT_NE(html.find("Publicado em 20/11/2026 · Última revisão médica em 24/11/2026."),
            std::string::npos);
}

TEST_F(StagePluginsTest, TransformAddsMentalHealthNoticeOnSuicideTopics) {
  json out = Run("s13_transform", "transform", Doc("Prevenção do suicídio", "<p>Falar ajuda.</p>"));
  EXPECT_NE(out["content"].get<std::string>().find("188 (CVV)"), std::string::npos);
}

TEST_F(StagePluginsTest, TransformBlocksWithoutPhysician) {
  json practice = Practice();
  practice["physician"].erase("crm");
  json out = Run("s13_transform", "transform", Doc("T", "<p>x</p>", practice));
  EXPECT_EQ(out["status"], "block");
}

TEST_F(StagePluginsTest, LegalReviewScoresAndListsFindings) {
  json previous = {{"s1.1", {{"risk_score", 40}, {"personal_data_processed", true}}},
                   {"s1.2",
                    {{"status", "needs_review"},
                     {"counts", {{"block", 0}, {"review", 2}, {"warn", 1}}},
                     {"findings",
                      {{{"rule", "CDC-01"},
                        {"title", "Alegação factual sem fonte"},
                        {"severity", "needs_review"},
                        {"match", "Estudos mostram"},
                        {"remediation", "Inclua a referência."}}}}}},
                   {"s1.3", {{"added", {"physician", "informative"}}}}};
  json out = Run("s14_legal_review", "prepare", Doc("T", "<p>x</p>", Practice(), previous));
  EXPECT_EQ(out["risk_score"], 16 + 24 + 3);
  EXPECT_EQ(out["risk_level"], "medio");
  EXPECT_EQ(out["status"], "needs_review");
  bool listed = false;
  for (const auto& item : out["checklist"]) {
    if (item.value("rule", "") == "CDC-01") {
      listed = true;
      EXPECT_EQ(item["status"], "attention");
      EXPECT_NE(item["text"].get<std::string>().find("«Estudos mostram»"), std::string::npos);
    }
  }
  EXPECT_TRUE(listed);
}

TEST_F(StagePluginsTest, PackagingSanitisesAndDescribes) {
  const std::string hostile =
      "<p onclick=\"steal()\">Olá <script>alert(1)</script><b>mundo</b></p>"
      "<a href=\"javascript:alert(1)\">x</a><a href=\" JaVaScRiPt:alert(1)\">y</a>"
      "<a href=\"https://gov.br/saude\">z</a><img src=\"data:text/html,1\" onerror=\"a()\">"
      "<iframe src=\"https://evil\"></iframe><style>p{}</style><!-- c --><svg><script>1</script>"
      "</svg><unknown>texto</unknown>";
  json out = Run("s15_packaging", "package", Doc("Título", hostile));
  const std::string html = out["html"];
  for (const char* bad : {"script", "onclick", "onerror", "javascript", "iframe", "style", "svg",
                          "data:", "<!--", "unknown"}) {
    EXPECT_EQ(html.find(bad), std::string::npos) << bad << " in " << html;
  }
  EXPECT_NE(html.find("<a href=\"https://gov.br/saude\" rel=\"noopener nofollow\">z</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<b>mundo</b>"), std::string::npos);
  EXPECT_NE(html.find("texto"), std::string::npos);
  EXPECT_EQ(out["jsonld"]["@type"], "MedicalWebPage");
  EXPECT_EQ(out["jsonld"]["author"]["identifier"], "CRM/SP 123456");
  EXPECT_EQ(out["jsonld"]["publisher"]["name"], "Clínica Coração");
  EXPECT_EQ(out["feed_item"]["id"], "https://clinica.example/p/7");
  EXPECT_EQ(out["feed_item"]["title"], "Título");
  EXPECT_EQ(out["text"].get<std::string>().find("alert"), std::string::npos);
}

TEST_F(StagePluginsTest, PersonalDataStageNeedsItsGrant) {
  LoadedPlugin p{.key = "s11_personal_data",
                 .name = "s11_personal_data",
                 .library_path = std::string(HCMS_BUILTIN_PLUGIN_DIR) + "/s11_personal_data.so"};
  auto r = host_->Call(p, "analyze", Doc("T", "<p>x</p>").dump());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "plugin_host_function_denied");
}

TEST_F(StagePluginsTest, PersonalDataStageUsesTheNativeDetector) {
  json out = Run("s11_personal_data", "analyze",
                 Doc("Caso clínico", "<p>Paciente Maria Souza, CPF 529.982.247-25, voltou.</p>"),
                 kGrantPersonalData);
  EXPECT_EQ(out["stage"], "s1.1");
  EXPECT_EQ(out["status"], "needs_review");
  EXPECT_EQ(out["personal_data_processed"], true);
  bool cpf = false;
  for (const auto& d : out["detections"]) {
    if (d["type"] == "cpf") cpf = true;
    EXPECT_FALSE(d.contains("value"));
  }
  EXPECT_TRUE(cpf);
  EXPECT_GT(out["risk_score"].get<int>(), 0);
  EXPECT_EQ(out.dump().find("529.982.247-25"), std::string::npos);  // no values in the output

  json clean = Run("s11_personal_data", "analyze",
                   Doc("Hidratação", "<p>Beba água ao longo do dia.</p>"), kGrantPersonalData);
  EXPECT_EQ(clean["status"], "pass");
  EXPECT_EQ(clean["personal_data_processed"], false);
}

}  // namespace
}  // namespace hcms::plugins
