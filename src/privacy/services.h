// The privacy services of one installation, built together by the composition
// root (app/) and shared by the HTTP routes and the CLI.
//
// Events go to privacy_events and to the tamper-evident audit trail (issue #3):
// AuditTrailSink turns each PrivacyEvent into an audit entry "privacy.<event>" on
// resource "dsr:<id>", "consent:<id>" or "subject:<id>", with the event's detail
// (ids, codes and counts only). Entries are queued to the audit writer thread, so an
// event recorded inside a database transaction never waits on that transaction's lock.

#pragma once

#include <memory>

#include "audit/audit_log.h"
#include "privacy/consents.h"
#include "privacy/events.h"
#include "privacy/requests.h"
#include "privacy/retention.h"
#include "privacy/ropa.h"
#include "privacy/subjects.h"

namespace hcms::privacy {

class AuditTrailSink final : public AuditSink {
 public:
  explicit AuditTrailSink(audit::AuditLog& log) : log_(log) {}
  void Append(const PrivacyEvent& e) override;

 private:
  audit::AuditLog& log_;
};

// The audit entry for a privacy event (exposed for tests).
audit::Entry AuditEntryFor(const PrivacyEvent& e);

struct Services {
  Services(store::Database& db, const Clock& clock, AuditSink& sink)
      : subjects(db, clock),
        events(db, clock, sink),
        consents(db, clock, events),
        retention(db),
        requests(db, clock, subjects, consents, retention, events),
        ropa(db, clock),
        retention_job(db, clock, subjects, retention, events) {}

  SubjectRepository subjects;
  EventLog events;
  ConsentService consents;
  RetentionPolicy retention;
  DsrService requests;
  ProcessingRegistry ropa;
  RetentionJob retention_job;
};

}  // namespace hcms::privacy
