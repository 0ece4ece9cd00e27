// Consent records (LGPD art. 7 I, art. 8, art. 11 I): purpose, legal basis, version
// of the text the subject saw, channel, granted and revoked timestamps.
//
// History is never rewritten: granting creates a row; a new grant for the same
// purpose closes the previous active one (revoked_at set, event detail
// "superseded"); revoking stamps revoked_at. Each step records a privacy event.
// Thread-safe.

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "lgpd/legal_basis.h"
#include "privacy/events.h"
#include "store/database.h"

namespace hcms::privacy {

// "web", "app", "email", "phone", "paper", "in_person", "import".
bool IsConsentChannel(std::string_view channel);

struct Consent {
  std::string id;
  int64_t tenant_id = 0;
  std::string subject_id;
  std::string purpose;  // "newsletter", "case_report_publication", ...
  lgpd::LegalBasis legal_basis = lgpd::LegalBasis::kConsentimento;
  std::string text_version;
  std::string channel;
  std::string granted_at;
  std::optional<std::string> revoked_at;
  std::optional<std::string> revoked_channel;
  bool active() const { return !revoked_at.has_value(); }
};

struct NewConsent {
  std::string purpose;
  lgpd::LegalBasis legal_basis = lgpd::LegalBasis::kConsentimento;
  std::string text_version;
  std::string channel = "web";
};

class ConsentService {
 public:
  ConsentService(store::Database& db, const Clock& clock, EventLog& events)
      : db_(db), clock_(clock), events_(events) {}

  // kInvalidArgument "validation_failed"; kNotFound "subject_not_found".
  Result<Consent> Grant(int64_t tenant_id, std::string_view subject_id, const NewConsent& c,
                        std::optional<int64_t> actor_id = std::nullopt);
  // kNotFound "consent_not_found"; kConflict "consent_already_revoked".
  Result<Consent> Revoke(int64_t tenant_id, std::string_view consent_id, std::string_view channel,
                         std::optional<int64_t> actor_id = std::nullopt);
  // Every consent of the subject, oldest first.
  Result<std::vector<Consent>> History(int64_t tenant_id, std::string_view subject_id);
  Result<bool> HasActive(int64_t tenant_id, std::string_view subject_id, std::string_view purpose);

 private:
  Result<Consent> Find(store::Connection& c, int64_t tenant_id, std::string_view id);
  store::Database& db_;
  const Clock& clock_;
  EventLog& events_;
};

}  // namespace hcms::privacy
