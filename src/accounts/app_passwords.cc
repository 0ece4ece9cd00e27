#include "accounts/app_passwords.h"

#include "core/random.h"
#include "crypto/sha256.h"

namespace hcms::accounts {

namespace {

std::string Normalize(std::string_view pw) {
  std::string out;
  for (char c : pw) {
    if (c != ' ') out += c;
  }
  return out;
}

std::string Hash(std::string_view pw) { return crypto::Sha256Hex("app-password:" + Normalize(pw)); }

AppPassword FromRow(const store::Row& r) {
  AppPassword a;
  a.id = r.Text("id");
  a.tenant_id = r.Int("tenant_id");
  a.user_id = r.Int("user_id");
  a.name = r.Text("name");
  a.created_at = r.Text("created_at");
  a.last_used_at = r.OptText("last_used_at");
  return a;
}

#define COLS "id, tenant_id, user_id, name, created_at, last_used_at"

}  // namespace

Result<CreatedAppPassword> AppPasswordRepository::Create(int64_t tenant_id, int64_t user_id,
                                                         std::string_view name) {
  if (name.empty() || name.size() > 100) {
    return std::unexpected(Error(ErrorKind::kInvalidArgument, "validation_failed", "Nome inválido.")
                               .WithField("name", "invalid_length", "1 a 100 caracteres"));
  }
  static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz234567";
  std::string pw;
  uint8_t raw[24];
  RandomBytes(raw);
  for (size_t i = 0; i < sizeof raw; ++i) {
    if (i > 0 && i % 4 == 0) pw += ' ';
    pw += kAlphabet[raw[i] & 31];
  }
  const TimePoint now = clock_.Now();
  return db_.Transact([&](store::Connection& c) -> Result<CreatedAppPassword> {
    HCMS_TRY(auto count, c.Query("SELECT COUNT(*) FROM app_passwords WHERE tenant_id = $1 AND "
                                 "user_id = $2 AND revoked_at IS NULL",
                                 {tenant_id, user_id}));
    if (count[0].Int(0) >= 50) {
      return std::unexpected(Error(ErrorKind::kResourceExhausted, "too_many_app_passwords",
                                   "Limite de 50 senhas de aplicativo atingido."));
    }
    HCMS_TRY(auto rows,
             c.Query("INSERT INTO app_passwords (id, tenant_id, user_id, "
                     "name, password_hash, created_at) VALUES ($1, $2, $3, "
                     "$4, $5, $6) RETURNING " COLS,
                     {NewUuidV7(now), tenant_id, user_id, name, Hash(pw), FormatTimestamp(now)}));
    return CreatedAppPassword{FromRow(rows[0]), pw};
  });
}

Result<std::vector<AppPassword>> AppPasswordRepository::List(int64_t tenant_id, int64_t user_id) {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return c.Query("SELECT " COLS
                   " FROM app_passwords WHERE tenant_id = $1 AND user_id = $2 AND revoked_at "
                   "IS NULL ORDER BY created_at",
                   {tenant_id, user_id});
  }));
  std::vector<AppPassword> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

Status AppPasswordRepository::Revoke(int64_t tenant_id, int64_t user_id, std::string_view id) {
  HCMS_TRY(int64_t n, db_.Run([&](store::Connection& c) {
    return c.Execute(
        "UPDATE app_passwords SET revoked_at = $4 WHERE tenant_id = $1 AND user_id = "
        "$2 AND id = $3 AND revoked_at IS NULL",
        {tenant_id, user_id, id, FormatTimestamp(clock_.Now())});
  }));
  if (n == 0) return NotFound("app_password_not_found");
  return Ok();
}

Result<std::optional<AppPassword>> AppPasswordRepository::Verify(int64_t tenant_id, int64_t user_id,
                                                                 std::string_view password) {
  if (Normalize(password).size() != 24) return std::optional<AppPassword>();
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) {
    return c.QueryOne("SELECT " COLS
                      " FROM app_passwords WHERE tenant_id = $1 AND user_id = $2 AND "
                      "password_hash = $3 AND revoked_at IS NULL",
                      {tenant_id, user_id, Hash(password)});
  }));
  if (!row) return std::optional<AppPassword>();
  AppPassword a = FromRow(*row);
  // Coarse last-used stamp: at most one write a minute per password.
  const std::string now = FormatTimestamp(clock_.Now());
  if (!a.last_used_at || a.last_used_at->substr(0, 16) != now.substr(0, 16)) {
    (void)db_.Run([&](store::Connection& c) {
      return c.Execute("UPDATE app_passwords SET last_used_at = $2 WHERE id = $1", {a.id, now});
    });
  }
  return std::optional<AppPassword>(std::move(a));
}

}  // namespace hcms::accounts
