// Plugin host and medical pipeline benchmarks (docs/performance.md, "Plugins and the
// medical pipeline"):
//   - the round trip of an empty call through a worker process (call overhead);
//   - each stage plugin on a 10 KB pt-BR article;
//   - the five stages in sequence on that article (the budget is 10 ms).
// The article is bench/data/article_pt_br.html repeated to 10 KB.

#include <fstream>
#include <sstream>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "plugins/host_abi.h"
#include "plugins/host_functions.h"
#include "plugins/plugin_host.h"

namespace hcms::plugins {
namespace {

using nlohmann::json;

std::string Article10K() {
  std::ifstream in(std::string(HCMS_BENCH_DATA_DIR) + "/article_pt_br.html");
  std::ostringstream s;
  s << in.rdbuf();
  std::string one = s.str(), out;
  while (out.size() < 10 * 1024) out += one;
  return out.substr(0, 10 * 1024 - 200) + "</p>";
}

json Document() {
  return {{"post",
           {{"id", 42},
            {"title", "Hipertensão arterial: guia para pacientes"},
            {"content", Article10K()},
            {"url", "https://clinica.example/hipertensao"},
            {"published_at", "2026-11-20T10:00:00Z"},
            {"modified_at", "2026-11-24T10:00:00Z"}}},
          {"practice",
           {{"name", "Clínica Coração"},
            {"url", "https://clinica.example"},
            {"disclaimers", {"informative", "emergency", "dates"}},
            {"physician",
             {{"name", "Ana Souza"},
              {"crm", "123456"},
              {"uf", "SP"},
              {"rqe", "5555"},
              {"specialty", "Cardiologia"},
              {"gender", "f"}}}}},
          {"previous", json::object()}};
}

PluginHost& Host() {
  static PluginHost host({.worker_path = HCMS_PLUGIN_WORKER_PATH,
                          .host_functions = DefaultHostFunctions(),
                          .workers = 1});
  static const bool warm = PersonalDataScan()("").has_value();  // the detector's database
  (void)warm;
  return host;
}

LoadedPlugin Plugin(const std::string& name, uint32_t grants = 0) {
  return {.key = name,
          .name = name,
          .library_path = std::string(HCMS_BUILTIN_PLUGIN_DIR) + "/" + name + ".so",
          .grants = grants};
}

struct Stage {
  const char* id;
  const char* plugin;
  const char* function;
  uint32_t grants;
};
constexpr Stage kStages[] = {
    {"s1.1", "s11_personal_data", "analyze", kGrantPersonalData},
    {"s1.2", "s12_medical_claims", "validate", 0},
    {"s1.3", "s13_transform", "transform", 0},
    {"s1.4", "s14_legal_review", "prepare", 0},
    {"s1.5", "s15_packaging", "package", 0},
};

// The input of each stage: the document with the outputs of the stages before it.
std::vector<std::string> StageInputs() {
  json doc = Document();
  std::vector<std::string> inputs;
  for (const Stage& s : kStages) {
    inputs.push_back(doc.dump());
    auto r = Host().Call(Plugin(s.plugin, s.grants), s.function, inputs.back());
    if (!r) throw std::runtime_error(r.error().ToLogString());
    doc["previous"][s.id] = json::parse(r->output);
  }
  return inputs;
}

void BM_PluginCallOverhead(benchmark::State& state) {
  const LoadedPlugin p = Plugin("echo");
  (void)Host().Call(p, "echo", "");
  int64_t guest_us = 0;
  for (auto _ : state) {
    auto r = Host().Call(p, "echo", "");
    if (!r) state.SkipWithError("call failed");
    guest_us += r->guest_time.count();
  }
  state.counters["guest_us"] =
      benchmark::Counter(static_cast<double>(guest_us), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_PluginCallOverhead)->Unit(benchmark::kMicrosecond);

void BM_Stage(benchmark::State& state) {
  static const std::vector<std::string> inputs = StageInputs();
  const Stage& s = kStages[state.range(0)];
  const LoadedPlugin p = Plugin(s.plugin, s.grants);
  state.SetLabel(s.id);
  int64_t guest_us = 0;
  for (auto _ : state) {
    auto r = Host().Call(p, s.function, inputs[state.range(0)]);
    if (!r) state.SkipWithError("call failed");
    guest_us += r->guest_time.count();
    benchmark::DoNotOptimize(r->output.data());
  }
  state.counters["guest_us"] =
      benchmark::Counter(static_cast<double>(guest_us), benchmark::Counter::kAvgIterations);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(inputs[state.range(0)].size()));
}
BENCHMARK(BM_Stage)->DenseRange(0, 4)->Unit(benchmark::kMicrosecond);

// The whole pipeline as the orchestrator runs it: each stage's input carries the
// outputs before it (JSON built and parsed here, as in the orchestrator).
void BM_Pipeline10K(benchmark::State& state) {
  const json base = Document();
  (void)StageInputs();  // warm every plugin
  for (auto _ : state) {
    json doc = base;
    for (const Stage& s : kStages) {
      auto r = Host().Call(Plugin(s.plugin, s.grants), s.function, doc.dump());
      if (!r) {
        state.SkipWithError("stage failed");
        break;
      }
      doc["previous"][s.id] = json::parse(r->output);
    }
  }
}
BENCHMARK(BM_Pipeline10K)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hcms::plugins

BENCHMARK_MAIN();
