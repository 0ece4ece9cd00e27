// LGPD legal bases: Art. 7 (personal data) and Art. 11 (sensitive data), with stable
// API names. Shared by consent records, the record of processing activities and the
// publication gate.

#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace hcms::lgpd {

enum class LegalBasis {
  kConsentimento,      // Art. 7 I / Art. 11 I
  kObrigacaoLegal,     // Art. 7 II / Art. 11 II a
  kPoliticasPublicas,  // Art. 7 III / Art. 11 II b
  kEstudosPesquisa,    // Art. 7 IV / Art. 11 II c
  kExecucaoContrato,   // Art. 7 V (not for sensitive data)
  kExercicioDireitos,  // Art. 7 VI / Art. 11 II d
  kProtecaoVida,       // Art. 7 VII / Art. 11 II e
  kTutelaSaude,        // Art. 7 VIII / Art. 11 II f
  kInteresseLegitimo,  // Art. 7 IX (not for sensitive data)
  kProtecaoCredito,    // Art. 7 X (not for sensitive data)
  kPrevencaoFraude,    // Art. 11 II g
};

// "consentimento", "obrigacao_legal", "politicas_publicas", "estudos_pesquisa",
// "execucao_contrato", "exercicio_direitos", "protecao_vida", "tutela_saude",
// "interesse_legitimo", "protecao_credito", "prevencao_fraude".
std::string_view LegalBasisName(LegalBasis b);
std::optional<LegalBasis> ParseLegalBasis(std::string_view name);
const std::vector<LegalBasis>& AllLegalBases();
// The article that grounds it: "art. 7, I", "art. 11, II, f", ...
std::string_view LegalBasisArticle(LegalBasis b, bool sensitive);
// Art. 11 lists no contract, legitimate interest or credit basis for sensitive data.
bool AllowedForSensitive(LegalBasis b);

}  // namespace hcms::lgpd
