#include "content/personal_data.h"

#include <map>

#include <nlohmann/json.hpp>

#include "content/posts.h"
#include "content/sanitizer.h"
#include "lgpd/detector.h"

namespace hcms::content {

Result<bool> ScanForPersonalData(store::Connection& c, int64_t tenant_id, const Post& post) {
  const std::string text = HtmlToText(post.title) + "\n" + HtmlToText(StoredHtml(post)) + "\n" +
                           HtmlToText(post.excerpt);
  HCMS_TRY(lgpd::Analysis analysis, lgpd::DefaultDetector().Analyze(text));
  std::map<std::string, int> types;
  for (const auto& d : analysis.detections) {
    if (d.professional) continue;  // the physician's byline and CRM are expected
    ++types[std::string(lgpd::PiiTypeName(d.type))];
  }
  if (types.empty()) return false;
  nlohmann::json summary = {{"risk_score", analysis.risk_score},
                            {"status", lgpd::RiskStatusName(analysis.status)},
                            {"linked_person", analysis.linked_person},
                            {"types", types}};
  HCMS_CHECK(PostStore::SetMetaIn(c, tenant_id, post.id, kPersonalDataMetaKey, summary.dump()));
  return true;
}

ImportScanner PersonalDataImportScanner() {
  return [](store::Connection& c, int64_t tenant_id, const Post& post) {
    return ScanForPersonalData(c, tenant_id, post);
  };
}

}  // namespace hcms::content
