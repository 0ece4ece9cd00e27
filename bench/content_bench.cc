// Content micro-benchmarks: the per-post work behind /wp-json and the public site.
// A ~4 KB Gutenberg post like the ones in the 1,000-post WordPress export.
#include <benchmark/benchmark.h>

#include "content/markdown.h"
#include "content/posts.h"
#include "content/sanitizer.h"
#include "content/text.h"

namespace {

std::string GutenbergPost() {
  std::string html;
  for (int i = 0; i < 6; ++i) {
    html +=
        "<!-- wp:heading -->\n<h2 class=\"wp-block-heading\">Seção sobre saúde do coração</h2>\n"
        "<!-- /wp:heading -->\n\n<!-- wp:paragraph -->\n<p>A hipertensão arterial é uma "
        "condição comum; <strong>medir a pressão</strong> regularmente e seguir a "
        "orientação médica reduz o risco de infarto e AVC. Veja <a href=\"https://example.org/"
        "diretrizes\">as diretrizes</a> da sociedade brasileira.</p>\n<!-- /wp:paragraph -->\n\n"
        "<!-- wp:list -->\n<ul><li>Reduza o sal</li><li>Pratique atividade física</li>"
        "<li>Evite o tabagismo</li></ul>\n<!-- /wp:list -->\n\n";
  }
  return html;
}

void BM_SanitizeGutenbergPost(benchmark::State& state) {
  const std::string html = GutenbergPost();
  for (auto _ : state) benchmark::DoNotOptimize(hcms::content::SanitizeHtml(html));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * html.size()));
}
BENCHMARK(BM_SanitizeGutenbergPost);

void BM_RenderPost(benchmark::State& state) {
  hcms::content::Post p;
  p.content = hcms::content::SanitizeHtml(GutenbergPost());
  for (auto _ : state) benchmark::DoNotOptimize(hcms::content::RenderContent(p));
}
BENCHMARK(BM_RenderPost);

void BM_HtmlToText(benchmark::State& state) {
  const std::string html = GutenbergPost();
  for (auto _ : state) benchmark::DoNotOptimize(hcms::content::HtmlToText(html));
}
BENCHMARK(BM_HtmlToText);

void BM_Markdown(benchmark::State& state) {
  std::string md;
  for (int i = 0; i < 6; ++i) {
    md +=
        "## Seção\n\nA hipertensão é **comum**; veja [as diretrizes](https://example.org).\n\n"
        "- Reduza o sal\n- Pratique atividade física\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n";
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(hcms::content::SanitizeHtml(hcms::content::MarkdownToHtml(md)));
  }
}
BENCHMARK(BM_Markdown);

void BM_Slugify(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(hcms::content::Slugify("Saúde do Coração: prevenção e tratamento"));
  }
}
BENCHMARK(BM_Slugify);

}  // namespace

BENCHMARK_MAIN();
