// What connects the content workflow to the compliance checks: the pipeline reads the
// stored post (never text a client sends), and every path to "publish" passes two
// gates (content::PublishGate), in this order:
//
//   1. LgpdPublishGate: lgpd::AssessPublication over the post's text with the legal
//      bases reviewers recorded for it (post meta kLegalBasesMetaKey); refuses with
//      409 "sensitive_data_unhandled".
//   2. PipelinePublishGate: a completed pipeline run for the post's CURRENT revision;
//      refuses with 409 "pipeline_required" and a field error saying what is missing
//      ("no_run", "run_not_completed", "stale_run"). When it passes, it stores the
//      run's S.1.5 package with the post (content::kPublicationMetaKey), in the same
//      transaction as the status change: that package is what the public site and the
//      APIs render while the post is published.
//
// Both run inside Workflow::ApplyIn, so the native routes, /wp-json, scheduling and
// the scheduler's publication all pass them (docs/content.md, "Publishing gate").

#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "content/service.h"
#include "content/workflow.h"
#include "core/error.h"
#include "pipeline/orchestrator.h"

namespace hcms::api {

// Legal bases recorded by reviewers for a post: a JSON array of
// {"type": "<pii type>" | null, "basis": "<legal basis>", "reviewer_id", "recorded_at"}.
inline constexpr std::string_view kLegalBasesMetaKey = "_hcms_legal_bases";

// The post's current revision as the pipeline sees it: title, excerpt, the stored
// text rendered to sanitised HTML, the public URL, and the id of the newest revision.
// kNotFound "post_not_found" for a post of another practice or an attachment.
Result<pipeline::PostSnapshot> SnapshotPost(content::ContentService& content, int64_t tenant_id,
                                            int64_t post_id, const std::string& base_url);

// Where the post stands with the pipeline, for the editor:
// {"revision_id", "publishable", "reason" (no_run|run_not_completed|stale_run|null),
//  "detail", "run": {"id", "status", "revision_id"} | null}.
Result<nlohmann::json> PipelineStatus(store::Connection& c, int64_t tenant_id, int64_t post_id);

class LgpdPublishGate final : public content::PublishGate {
 public:
  std::string_view name() const override { return "lgpd"; }
  Status Check(store::Connection& c, const content::Post& post,
               const content::Actor& actor) override;
};

class PipelinePublishGate final : public content::PublishGate {
 public:
  std::string_view name() const override { return "pipeline"; }
  Status Check(store::Connection& c, const content::Post& post,
               const content::Actor& actor) override;
};

}  // namespace hcms::api
