#include "lgpd/legal_basis.h"

#include <array>

namespace hcms::lgpd {

namespace {

struct Info {
  std::string_view name;
  std::string_view art7;
  std::string_view art11;  // empty: not a basis for sensitive data
};

constexpr std::array<Info, 11> kInfo = {{
    {"consentimento", "art. 7, I", "art. 11, I"},
    {"obrigacao_legal", "art. 7, II", "art. 11, II, a"},
    {"politicas_publicas", "art. 7, III", "art. 11, II, b"},
    {"estudos_pesquisa", "art. 7, IV", "art. 11, II, c"},
    {"execucao_contrato", "art. 7, V", ""},
    {"exercicio_direitos", "art. 7, VI", "art. 11, II, d"},
    {"protecao_vida", "art. 7, VII", "art. 11, II, e"},
    {"tutela_saude", "art. 7, VIII", "art. 11, II, f"},
    {"interesse_legitimo", "art. 7, IX", ""},
    {"protecao_credito", "art. 7, X", ""},
    {"prevencao_fraude", "art. 7, IX", "art. 11, II, g"},
}};

}  // namespace

std::string_view LegalBasisName(LegalBasis b) { return kInfo[static_cast<size_t>(b)].name; }

std::optional<LegalBasis> ParseLegalBasis(std::string_view name) {
  for (size_t i = 0; i < kInfo.size(); ++i) {
    if (kInfo[i].name == name) return static_cast<LegalBasis>(i);
  }
  return std::nullopt;
}

const std::vector<LegalBasis>& AllLegalBases() {
  static const std::vector<LegalBasis> all = [] {
    std::vector<LegalBasis> v;
    for (size_t i = 0; i < kInfo.size(); ++i) v.push_back(static_cast<LegalBasis>(i));
    return v;
  }();
  return all;
}

std::string_view LegalBasisArticle(LegalBasis b, bool sensitive) {
  const Info& i = kInfo[static_cast<size_t>(b)];
  return sensitive ? i.art11 : i.art7;
}

bool AllowedForSensitive(LegalBasis b) { return !kInfo[static_cast<size_t>(b)].art11.empty(); }

}  // namespace hcms::lgpd
