#include "privacy/consents.h"

#include <array>

#include "core/random.h"

namespace hcms::privacy {

namespace {

constexpr std::string_view kSubjectExists =
    "SELECT 1 FROM data_subjects WHERE tenant_id = $1 AND id = $2 AND status = 'active'";
constexpr std::string_view kActiveForPurpose =
    "SELECT id FROM consents WHERE tenant_id = $1 AND subject_id = $2 AND purpose = $3 "
    "AND revoked_at IS NULL";
constexpr std::string_view kInsert =
    "INSERT INTO consents (id, tenant_id, subject_id, purpose, legal_basis, text_version, "
    "channel, granted_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)";
constexpr std::string_view kRevoke =
    "UPDATE consents SET revoked_at = $3, revoked_channel = $4 WHERE tenant_id = $1 AND id = $2 "
    "AND revoked_at IS NULL";
constexpr std::string_view kById =
    "SELECT id, tenant_id, subject_id, purpose, legal_basis, text_version, channel, granted_at, "
    "revoked_at, revoked_channel FROM consents WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kHistory =
    "SELECT id, tenant_id, subject_id, purpose, legal_basis, text_version, channel, granted_at, "
    "revoked_at, revoked_channel FROM consents WHERE tenant_id = $1 AND subject_id = $2 "
    "ORDER BY granted_at, id";

constexpr std::array<std::string_view, 7> kChannels = {"web",   "app",       "email", "phone",
                                                       "paper", "in_person", "import"};

Consent FromRow(const store::Row& r) {
  Consent c;
  c.id = r.Text("id");
  c.tenant_id = r.Int("tenant_id");
  c.subject_id = r.Text("subject_id");
  c.purpose = r.Text("purpose");
  c.legal_basis =
      lgpd::ParseLegalBasis(r.Text("legal_basis")).value_or(lgpd::LegalBasis::kConsentimento);
  c.text_version = r.Text("text_version");
  c.channel = r.Text("channel");
  c.granted_at = r.Text("granted_at");
  c.revoked_at = r.OptText("revoked_at");
  c.revoked_channel = r.OptText("revoked_channel");
  return c;
}

bool IsPurpose(std::string_view p) {
  if (p.empty() || p.size() > 64) return false;
  for (char ch : p) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
      return false;
  }
  return true;
}

}  // namespace

bool IsConsentChannel(std::string_view channel) {
  for (auto c : kChannels) {
    if (c == channel) return true;
  }
  return false;
}

Result<Consent> ConsentService::Find(store::Connection& c, int64_t tenant_id, std::string_view id) {
  HCMS_TRY(auto row, c.QueryOne(kById, {tenant_id, id}));
  if (!row) return NotFound("consent_not_found", "Consentimento não encontrado.");
  return FromRow(*row);
}

Result<Consent> ConsentService::Grant(int64_t tenant_id, std::string_view subject_id,
                                      const NewConsent& nc, std::optional<int64_t> actor_id) {
  Error e(ErrorKind::kInvalidArgument, "validation_failed", "Consentimento inválido.");
  if (!IsPurpose(nc.purpose)) e.WithField("purpose", "invalid_format", "a-z, 0-9, _ e -");
  if (nc.text_version.empty() || nc.text_version.size() > 64)
    e.WithField("text_version", "required");
  if (!IsConsentChannel(nc.channel)) e.WithField("channel", "invalid_value");
  if (!e.fields().empty()) return std::unexpected(std::move(e));

  const TimePoint now = clock_.Now();
  const std::string at = FormatTimestamp(now);
  const std::string id = NewUuidV7(now);
  return db_.Transact([&](store::Connection& c) -> Result<Consent> {
    HCMS_TRY(auto exists, c.QueryOne(kSubjectExists, {tenant_id, subject_id}));
    if (!exists) return NotFound("subject_not_found", "Titular não encontrado.");
    HCMS_TRY(auto previous, c.Query(kActiveForPurpose, {tenant_id, subject_id, nc.purpose}));
    for (const auto& row : previous) {
      const std::string old_id = row.Text("id");
      HCMS_TRY(auto n, c.Execute(kRevoke, {tenant_id, old_id, at, nc.channel}));
      (void)n;
      HCMS_CHECK(events_.Record({.tenant_id = tenant_id,
                                 .event = std::string(event::kConsentRevoked),
                                 .subject_id = std::string(subject_id),
                                 .actor_id = actor_id,
                                 .detail = {{"consent_id", old_id}, {"superseded_by", id}}},
                                &c));
    }
    HCMS_TRY(auto n, c.Execute(kInsert, {id, tenant_id, subject_id, nc.purpose,
                                         lgpd::LegalBasisName(nc.legal_basis), nc.text_version,
                                         nc.channel, at}));
    (void)n;
    HCMS_CHECK(events_.Record({.tenant_id = tenant_id,
                               .event = std::string(event::kConsentGranted),
                               .subject_id = std::string(subject_id),
                               .actor_id = actor_id,
                               .detail = {{"consent_id", id},
                                          {"purpose", nc.purpose},
                                          {"legal_basis", lgpd::LegalBasisName(nc.legal_basis)},
                                          {"text_version", nc.text_version},
                                          {"channel", nc.channel}}},
                              &c));
    return Find(c, tenant_id, id);
  });
}

Result<Consent> ConsentService::Revoke(int64_t tenant_id, std::string_view consent_id,
                                       std::string_view channel, std::optional<int64_t> actor_id) {
  if (!IsConsentChannel(channel)) {
    return std::unexpected(
        Error(ErrorKind::kInvalidArgument, "validation_failed", "Canal inválido.")
            .WithField("channel", "invalid_value"));
  }
  const std::string at = FormatTimestamp(clock_.Now());
  return db_.Transact([&](store::Connection& c) -> Result<Consent> {
    HCMS_TRY(Consent current, Find(c, tenant_id, consent_id));
    if (!current.active()) {
      return Conflict("consent_already_revoked", "Este consentimento já foi revogado.");
    }
    HCMS_TRY(auto n, c.Execute(kRevoke, {tenant_id, consent_id, at, channel}));
    (void)n;
    HCMS_CHECK(events_.Record({.tenant_id = tenant_id,
                               .event = std::string(event::kConsentRevoked),
                               .subject_id = current.subject_id,
                               .actor_id = actor_id,
                               .detail = {{"consent_id", current.id},
                                          {"purpose", current.purpose},
                                          {"channel", channel}}},
                              &c));
    return Find(c, tenant_id, consent_id);
  });
}

Result<std::vector<Consent>> ConsentService::History(int64_t tenant_id,
                                                     std::string_view subject_id) {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return c.Query(kHistory, {tenant_id, subject_id});
  }));
  std::vector<Consent> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

Result<bool> ConsentService::HasActive(int64_t tenant_id, std::string_view subject_id,
                                       std::string_view purpose) {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return c.Query(kActiveForPurpose, {tenant_id, subject_id, purpose});
  }));
  return !rows.empty();
}

}  // namespace hcms::privacy
