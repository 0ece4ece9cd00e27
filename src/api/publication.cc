#include "api/publication.h"

#include <fmt/format.h>

#include "content/posts.h"
#include "content/sanitizer.h"
#include "core/log.h"
#include "lgpd/publication.h"
#include "site/site.h"

namespace hcms::api {

namespace {

using nlohmann::json;

constexpr std::string_view kRunsForPost =
    "SELECT id, revision_id, status FROM pipeline_runs WHERE tenant_id = $1 AND post_id = $2 "
    "ORDER BY created_at DESC, id DESC";
constexpr std::string_view kPackage =
    "SELECT output FROM pipeline_steps WHERE tenant_id = $1 AND run_id = $2 AND stage = 's1.5'";

std::string_view RunStatusPt(std::string_view s) {
  if (s == "pending") return "pendente";
  if (s == "running") return "em execução";
  if (s == "needs_approval") return "aguardando revisão";
  if (s == "blocked") return "bloqueada";
  if (s == "failed") return "com falha";
  if (s == "rejected") return "rejeitada";
  return s;
}

struct Standing {
  std::optional<int64_t> revision_id;
  std::string reason;  // "" when publishable
  std::string detail;
  std::string run_id;  // the completed run, or the newest relevant one
  std::string run_status;
  std::optional<int64_t> run_revision_id;
};

Result<Standing> Assess(store::Connection& c, int64_t tenant_id, int64_t post_id) {
  Standing s;
  HCMS_TRY(s.revision_id, content::PostStore::LatestRevisionId(c, tenant_id, post_id));
  HCMS_TRY(auto rows, c.Query(kRunsForPost, {tenant_id, post_id}));
  const store::Row* current = nullptr;  // newest run of the current revision
  for (const auto& r : rows) {
    const auto rev = r.IsNull(1) ? std::optional<int64_t>() : std::optional<int64_t>(r.Int(1));
    if (!s.revision_id || rev != s.revision_id) continue;
    if (r.Text(2) == "completed") {
      s.run_id = r.Text(0);
      s.run_status = "completed";
      s.run_revision_id = rev;
      return s;
    }
    if (current == nullptr) current = &r;
  }
  if (current != nullptr) {
    s.reason = "run_not_completed";
    s.run_id = current->Text(0);
    s.run_status = current->Text(2);
    s.run_revision_id = s.revision_id;
    s.detail = fmt::format(
        "A execução do pipeline de conformidade da versão atual não foi concluída (situação: "
        "{}). Corrija o texto ou peça a revisão das etapas e execute o pipeline novamente.",
        RunStatusPt(s.run_status));
  } else if (!rows.empty()) {
    s.reason = "stale_run";
    s.run_id = rows[0].Text(0);
    s.run_status = rows[0].Text(2);
    if (!rows[0].IsNull(1)) s.run_revision_id = rows[0].Int(1);
    s.detail =
        "O texto foi alterado depois da última execução do pipeline de conformidade: execute o "
        "pipeline para a versão atual antes de publicar.";
  } else {
    s.reason = "no_run";
    s.detail =
        "Execute o pipeline de conformidade antes de publicar: não há execução para esta "
        "publicação.";
  }
  return s;
}

Result<std::vector<lgpd::LegalBasisRecord>> LegalBases(store::Connection& c, int64_t tenant_id,
                                                       int64_t post_id) {
  std::vector<lgpd::LegalBasisRecord> out;
  HCMS_TRY(auto stored, content::PostStore::MetaValueIn(c, tenant_id, post_id, kLegalBasesMetaKey));
  if (!stored) return out;
  const json all = json::parse(*stored, nullptr, false);
  if (!all.is_array()) return out;
  for (const auto& j : all) {
    if (!j.is_object()) continue;
    lgpd::LegalBasisRecord r;
    if (auto b = lgpd::ParseLegalBasis(j.value("basis", "")); b) {
      r.basis = *b;
    } else {
      continue;
    }
    if (j.contains("type") && j["type"].is_string()) {
      auto t = lgpd::ParsePiiType(j["type"].get<std::string>());
      if (!t) continue;
      r.type = *t;
    }
    r.reviewer_id = j.value("reviewer_id", int64_t{0});
    out.push_back(r);
  }
  return out;
}

}  // namespace

Result<pipeline::PostSnapshot> SnapshotPost(content::ContentService& content, int64_t tenant_id,
                                            int64_t post_id, const std::string& base_url) {
  return content.db().Transact([&](store::Connection& c) -> Result<pipeline::PostSnapshot> {
    HCMS_TRY(content::Post post, content.posts().Get(c, tenant_id, post_id));
    if (post.type == content::PostType::kAttachment) {
      return NotFound("post_not_found", "Publicação não encontrada.");
    }
    HCMS_TRY(auto revision, content::PostStore::LatestRevisionId(c, tenant_id, post_id));
    return pipeline::PostSnapshot{
        .post_id = post.id,
        .revision_id = revision,
        .title = post.title,
        .content = content::ContentService::RenderedSource(post),
        .excerpt = content::HtmlToText(post.excerpt),
        .slug = post.slug,
        .url = site::Site::PostUrl({.tenant_id = tenant_id, .base_url = base_url}, post),
        .published_at = post.date_gmt,
        .modified_at = post.modified_gmt};
  });
}

Result<json> PipelineStatus(store::Connection& c, int64_t tenant_id, int64_t post_id) {
  HCMS_TRY(Standing s, Assess(c, tenant_id, post_id));
  json run = nullptr;
  if (!s.run_id.empty()) {
    run = {{"id", s.run_id},
           {"status", s.run_status},
           {"revision_id", s.run_revision_id ? json(*s.run_revision_id) : json(nullptr)}};
  }
  return json{{"revision_id", s.revision_id ? json(*s.revision_id) : json(nullptr)},
              {"publishable", s.reason.empty()},
              {"reason", s.reason.empty() ? json(nullptr) : json(s.reason)},
              {"detail", s.detail.empty() ? json(nullptr) : json(s.detail)},
              {"run", std::move(run)}};
}

Status LgpdPublishGate::Check(store::Connection& c, const content::Post& post,
                              const content::Actor& actor) {
  (void)actor;
  if (post.type == content::PostType::kAttachment) return Ok();
  const std::string text = content::HtmlToText(post.title) + "\n" +
                           content::HtmlToText(content::StoredHtml(post)) + "\n" +
                           content::HtmlToText(post.excerpt);
  HCMS_TRY(auto bases, LegalBases(c, post.tenant_id, post.id));
  HCMS_TRY(auto assessment, lgpd::AssessPublication(text, bases));
  if (!assessment.publishable) return std::unexpected(lgpd::PublicationBlockedError(assessment));
  return Ok();
}

Status PipelinePublishGate::Check(store::Connection& c, const content::Post& post,
                                  const content::Actor& actor) {
  (void)actor;
  if (post.type == content::PostType::kAttachment) return Ok();
  HCMS_TRY(Standing s, Assess(c, post.tenant_id, post.id));
  if (!s.reason.empty()) {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition, "pipeline_required", s.detail)
                               .WithField("pipeline", s.reason, s.detail));
  }
  HCMS_TRY(auto row, c.QueryOne(kPackage, {post.tenant_id, s.run_id}));
  const json out = row && !row->IsNull(0) ? json::parse(row->Text(0), nullptr, false) : json();
  if (!out.is_object() || !out.contains("html") || !out["html"].is_string()) {
    return Internal("completed pipeline run without an S.1.5 package: " + s.run_id);
  }
  json package = {{"run_id", s.run_id},
                  {"revision_id", *s.revision_id},
                  {"html", out["html"]},
                  {"text", out.value("text", "")},
                  {"jsonld", out.contains("jsonld") ? out["jsonld"] : json(nullptr)}};
  return content::PostStore::SetMetaIn(c, post.tenant_id, post.id, content::kPublicationMetaKey,
                                       package.dump());
}

}  // namespace hcms::api
