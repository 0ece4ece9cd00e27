#include "content/personal_data.h"

#include <map>

#include <nlohmann/json.hpp>

#include "content/posts.h"
#include "content/sanitizer.h"
#include "lgpd/detector.h"

namespace hcms::content {

namespace {

// Types and counts of the non-professional detections, or an empty summary.
Result<nlohmann::json> Summarize(const Post& post) {
  const std::string text = HtmlToText(post.title) + "\n" + HtmlToText(StoredHtml(post)) + "\n" +
                           HtmlToText(post.excerpt);
  HCMS_TRY(lgpd::Analysis analysis, lgpd::DefaultDetector().Analyze(text));
  std::map<std::string, int> types;
  for (const auto& d : analysis.detections) {
    if (d.professional) continue;  // the physician's byline and CRM are expected
    ++types[std::string(lgpd::PiiTypeName(d.type))];
  }
  if (types.empty()) return nlohmann::json();
  return nlohmann::json{{"risk_score", analysis.risk_score},
                        {"status", lgpd::RiskStatusName(analysis.status)},
                        {"linked_person", analysis.linked_person},
                        {"types", types}};
}

}  // namespace

Result<bool> ScanForPersonalData(store::Connection& c, int64_t tenant_id, const Post& post) {
  HCMS_TRY(nlohmann::json summary, Summarize(post));
  if (summary.is_null()) return false;
  HCMS_CHECK(PostStore::SetMetaIn(c, tenant_id, post.id, kPersonalDataMetaKey, summary.dump()));
  return true;
}

Result<bool> RefreshPersonalDataSummary(store::Connection& c, int64_t tenant_id, const Post& post,
                                        std::string_view scanned_at) {
  HCMS_TRY(nlohmann::json summary, Summarize(post));
  if (summary.is_null()) {
    HCMS_TRY(auto removed,
             c.Execute("DELETE FROM post_meta WHERE tenant_id = $1 AND post_id = $2 AND "
                       "meta_key = $3",
                       {tenant_id, post.id, kPersonalDataMetaKey}));
    (void)removed;
    return false;
  }
  summary["scanned_at"] = scanned_at;
  HCMS_CHECK(PostStore::SetMetaIn(c, tenant_id, post.id, kPersonalDataMetaKey, summary.dump()));
  return true;
}

ImportScanner PersonalDataImportScanner() {
  return [](store::Connection& c, int64_t tenant_id, const Post& post) {
    return ScanForPersonalData(c, tenant_id, post);
  };
}

}  // namespace hcms::content
