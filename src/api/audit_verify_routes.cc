#include "api/audit_verify_routes.h"

#include "audit/audit_log.h"
#include "core/clock.h"

namespace hcms::api {

void AddAuditVerifyRoutes(Api& api, store::Database& db, const crypto::SigningKey& key) {
  api.Add({.method = http::Method::kPost,
           .pattern = "/api/v1/audit/verify",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kReadAudit,
           .allow_app_passwords = false,
           .handler = [&db, &key](RequestContext& ctx) -> Result<http::Response> {
             HCMS_TRY(audit::VerifyReport report, audit::VerifyAuditTrail(db, key));
             ctx.Audit("audit.verify", "audit:chain", report.ok ? "ok" : "failed",
                       {{"entries", report.entries}, {"problem", report.problem}});
             nlohmann::json body = {
                 {"ok", report.ok},
                 {"entries", report.entries},
                 {"checkpoints", report.checkpoints},
                 {"head_seq", report.head_seq},
                 {"first_bad_seq", report.first_bad_seq ? nlohmann::json(*report.first_bad_seq)
                                                        : nlohmann::json(nullptr)},
                 {"problem", report.problem},
                 {"detail", report.detail},
                 {"verified_at", FormatTimestamp(SystemClock::Instance().Now())}};
             http::Response r = http::Response::Json(200, body);
             r.Set("Cache-Control", "no-store");
             return r;
           }});
}

}  // namespace hcms::api
