// The built-in plugins under the official Extism runtime (@extism/extism on Node)
// give byte-for-byte the same output as under hcms's own host: the plugins use only
// Extism's kernel ABI, so plugins built with Extism PDKs run on hcms unchanged and
// ours run on Extism.
//
// S.1.1 is left out: it calls hcms:host/env lgpd_scan, a host function only hcms has.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "plugins/plugin_host.h"
#include "tests/support/subprocess.h"

namespace hcms::plugins {
namespace {

using nlohmann::json;

std::string Source(const std::string& rel) { return std::string(HCMS_SOURCE_DIR) + "/" + rel; }

std::string RunExtism(const std::string& plugin, const std::string& fn, const std::string& input,
                      const json& config) {
  testing::SpawnOptions o;
  o.argv = {HCMS_NODE, Source("tests/extism/run.mjs"),
            std::string(HCMS_BUILTIN_PLUGIN_DIR) + "/" + plugin + ".wasm", fn, config.dump()};
  o.env = testing::EnvironmentWithout("HCMS_");
  o.env["NODE_NO_WARNINGS"] = "1";
  o.stdin_data = input;
  o.cwd = Source("tests/extism");
  auto r = testing::RunProcess(o, std::chrono::seconds(60));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(r.out.empty()) << r.err;
  return r.out;
}

json Practice() {
  return {{"name", "Clínica Coração"},
          {"url", "https://clinica.example"},
          {"disclaimers", {"informative", "emergency", "dates", "conflict_of_interest"}},
          {"physician", {{"name", "Ana Souza"}, {"crm", "123456"}, {"uf", "SP"}, {"gender", "f"}}}};
}

std::vector<json> Documents() {
  std::vector<json> docs;
  const char* bodies[] = {
      "<p>A hipertensão é silenciosa. Meça a pressão (fonte: "
      "<a href=\"https://www.gov.br/saude\">Ministério da Saúde</a>).</p>",
      "<p>Nosso método infalível garante <b>cura definitiva</b>! Desconfie de quem promete cura "
      "garantida, mas aqui é 100% seguro.</p><p>Antes e depois da minha paciente: veja a "
      "diferença. Ozempic com desconto, link na bio.</p><script>alert(1)</script>",
      "<h2>Prevenção do suicídio</h2><p>Falar ajuda &amp; salva vidas. Estudos mostram que o "
      "acolhimento reduz riscos.</p><ul><li>CVV</li><li>CAPS</li></ul>",
  };
  int id = 1;
  for (const char* body : bodies) {
    docs.push_back({{"post",
                     {{"id", id++},
                      {"title", "Artigo de teste"},
                      {"content", body},
                      {"url", "https://clinica.example/p/1"},
                      {"published_at", "2026-11-20T10:00:00Z"},
                      {"modified_at", "2026-11-24T10:00:00Z"}}},
                    {"practice", Practice()},
                    {"previous", json::object()}});
  }
  return docs;
}

class ExtismConformance : public ::testing::Test {
 protected:
  PluginHost host_{{.worker_path = HCMS_PLUGIN_WORKER_PATH, .workers = 1}};

  std::string RunHcms(const std::string& plugin, const std::string& fn, const std::string& input,
                      const json& config) {
    LoadedPlugin p{.key = plugin,
                   .name = plugin,
                   .library_path = std::string(HCMS_BUILTIN_PLUGIN_DIR) + "/" + plugin + ".so"};
    for (const auto& [k, v] : config.items()) p.config[k] = v.get<std::string>();
    auto r = host_.Call(p, fn, input);
    EXPECT_TRUE(r) << r.error().ToLogString();
    return r ? r->output : std::string();
  }

  void ExpectSame(const std::string& plugin, const std::string& fn, const std::string& input,
                  const json& config = json::object()) {
    const std::string ours = RunHcms(plugin, fn, input, config);
    const std::string theirs = RunExtism(plugin, fn, input, config);
    EXPECT_FALSE(ours.empty()) << plugin;
    EXPECT_EQ(ours, theirs) << plugin << "/" << fn;
  }
};

TEST_F(ExtismConformance, EchoAndConfig) {
  ExpectSame("echo", "echo", "olá \"mundo\" \x01");
  ExpectSame("echo", "greet", "entrada", {{"greeting", "bom dia"}});
}

TEST_F(ExtismConformance, StagePluginsGiveIdenticalOutputs) {
  for (const json& doc : Documents()) {
    json d = doc;
    const std::string s12 = RunHcms("s12_medical_claims", "validate", d.dump(), json::object());
    ExpectSame("s12_medical_claims", "validate", d.dump());
    d["previous"]["s1.2"] = json::parse(s12);
    const std::string s13 = RunHcms("s13_transform", "transform", d.dump(), json::object());
    ExpectSame("s13_transform", "transform", d.dump());
    d["previous"]["s1.3"] = json::parse(s13);
    ExpectSame("s14_legal_review", "prepare", d.dump());
    ExpectSame("s15_packaging", "package", d.dump());
  }
}

}  // namespace
}  // namespace hcms::plugins
