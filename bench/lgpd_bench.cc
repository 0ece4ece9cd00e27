// Personal-data detector throughput (MB/s on mixed pt-BR health text) and the
// latency of one 10 KB article (goal: under 200 us, DESIGN.md).
//
//   ./build/release/bench/lgpd_bench --benchmark_min_time=2

#include <string>

#include <benchmark/benchmark.h>

#include "lgpd/detector.h"

namespace {

// Paragraphs of an ordinary health article, with the personal data a careless draft
// carries now and then (one paragraph in four).
const char* const kParagraphs[] = {
    "A hipertensão arterial sistêmica é uma condição clínica multifatorial caracterizada por "
    "níveis elevados e sustentados de pressão arterial. No Brasil, estima-se que cerca de 30% "
    "dos adultos convivam com a doença, muitas vezes sem diagnóstico. O acompanhamento regular "
    "com o médico e a medida da pressão em casa ajudam a ajustar o tratamento.\n",
    "Entre as medidas não farmacológicas estão a redução do consumo de sal, a prática de "
    "atividade física pelo menos 150 minutos por semana, o controle do peso e a moderação no "
    "consumo de álcool. A Sociedade Brasileira de Cardiologia recomenda metas individualizadas "
    "conforme o risco cardiovascular de cada paciente.\n",
    "O tratamento medicamentoso inclui diuréticos tiazídicos, inibidores da ECA, bloqueadores "
    "dos receptores da angiotensina e bloqueadores dos canais de cálcio. A escolha depende de "
    "comorbidades como diabetes (CID E11) e doença renal crônica. Doses como 50 mg de losartana "
    "ou 12,5 mg de hidroclorotiazida são comuns no início.\n",
    "Relato: a paciente Maria Aparecida Souza, 58 anos, CPF 529.982.247-25, procurou o "
    "ambulatório com PA 160/100 mmHg. Contato (11) 98765-4321, e-mail maria.souza@exemplo.com.br. "
    "Hipótese diagnóstica: CID I10. Retorno agendado para 12/03/2026.\n",
    "Sinais de alerta incluem dor no peito, falta de ar, alterações visuais e dor de cabeça "
    "intensa. Nesses casos, procure imediatamente um serviço de urgência ou ligue 192. Não "
    "interrompa a medicação por conta própria e leve sempre a lista de remédios às consultas.\n",
    "Texto revisado por Dra. Ana Lima, CRM-SP 123456, RQE 4567, cardiologista do Hospital "
    "Santa Catarina. As informações deste artigo não substituem a consulta médica.\n",
    "Estudos recentes mostram que o monitoramento residencial da pressão arterial melhora a "
    "adesão ao tratamento. Aplicativos e aparelhos validados permitem registrar as medidas e "
    "compartilhá-las com a equipe de saúde, sempre com atenção à privacidade dos dados.\n",
    "O consumo de potássio, presente em frutas e verduras, ajuda a reduzir a pressão. A dieta "
    "DASH, rica em vegetais, grãos integrais e laticínios com pouca gordura, é uma das "
    "estratégias com melhor evidência científica para o controle da hipertensão.\n",
};

std::string MixedText(size_t bytes) {
  std::string s;
  size_t i = 0;
  while (s.size() < bytes) s += kParagraphs[i++ % std::size(kParagraphs)];
  return s;
}

void BM_DetectorThroughput(benchmark::State& state) {
  const std::string text = MixedText(static_cast<size_t>(state.range(0)));
  const auto& detector = hcms::lgpd::DefaultDetector();
  for (auto _ : state) {
    auto a = detector.Analyze(text);
    benchmark::DoNotOptimize(a);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_DetectorThroughput)->Arg(1 << 20);

void BM_Article10KB(benchmark::State& state) {
  const std::string text = MixedText(10 * 1024);
  const auto& detector = hcms::lgpd::DefaultDetector();
  size_t detections = 0;
  for (auto _ : state) {
    auto a = detector.Analyze(text);
    detections = a->detections.size();
    benchmark::DoNotOptimize(a);
  }
  state.counters["detections"] = static_cast<double>(detections);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_Article10KB)->Unit(benchmark::kMicrosecond);

void BM_CleanArticle10KB(benchmark::State& state) {
  std::string text;
  while (text.size() < 10 * 1024) text += kParagraphs[0], text += kParagraphs[4];
  const auto& detector = hcms::lgpd::DefaultDetector();
  for (auto _ : state) benchmark::DoNotOptimize(detector.Analyze(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_CleanArticle10KB)->Unit(benchmark::kMicrosecond);

// Detector::Create: deserialising the embedded database (the cost of a new process).
void BM_DetectorCreate(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(hcms::lgpd::Detector::Create());
}
BENCHMARK(BM_DetectorCreate)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
