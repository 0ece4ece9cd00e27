#include "privacy/services.h"

namespace hcms::privacy {

audit::Entry AuditEntryFor(const PrivacyEvent& e) {
  audit::Entry a;
  a.tenant_id = e.tenant_id;
  a.actor_user_id = e.actor_id;
  a.action = "privacy." + e.event;
  if (e.request_id) {
    a.resource = "dsr:" + *e.request_id;
  } else if (e.detail.contains("consent_id")) {
    a.resource = "consent:" + e.detail["consent_id"].get<std::string>();
  } else if (e.subject_id) {
    a.resource = "subject:" + *e.subject_id;
  } else {
    a.resource = "tenant:" + std::to_string(e.tenant_id);
  }
  a.decision = "done";
  a.ip_anon = "-";
  a.request_id = "-";
  a.details = e.detail;
  if (e.subject_id) a.details["subject_id"] = *e.subject_id;
  return a;
}

void AuditTrailSink::Append(const PrivacyEvent& e) { log_.Enqueue(AuditEntryFor(e)); }

}  // namespace hcms::privacy
