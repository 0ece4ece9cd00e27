#include "accounts/users.h"

#include <array>
#include <cctype>

namespace hcms::accounts {

namespace {

constexpr std::array<std::pair<Role, std::string_view>, 7> kRoles{{
    {Role::kSuperAdmin, "super_admin"},
    {Role::kPracticeAdmin, "practice_admin"},
    {Role::kEditor, "editor"},
    {Role::kDoctor, "doctor"},
    {Role::kReviewer, "reviewer"},
    {Role::kContributor, "contributor"},
    {Role::kReader, "reader"},
}};

#define USER_COLUMNS                                                                             \
  "id, tenant_id, email, display_name, role, status, specialty, registration_kind, "             \
  "registration_number, registration_uf, rqe, registration_status, mfa_enabled, last_login_at, " \
  "created_at, updated_at, deleted_at"

constexpr std::string_view kInsert =
    "INSERT INTO users (tenant_id, email, display_name, role, password_hash, status, specialty, "
    "registration_kind, registration_number, registration_uf, rqe, registration_status, "
    "created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $9, $10, $11, $12, $12) "
    "RETURNING " USER_COLUMNS;
constexpr std::string_view kByEmail =
    "SELECT " USER_COLUMNS " FROM users WHERE tenant_id = $1 AND email = $2 AND deleted_at IS NULL";
constexpr std::string_view kById =
    "SELECT " USER_COLUMNS " FROM users WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kList =
    "SELECT " USER_COLUMNS
    " FROM users WHERE tenant_id = $1 AND deleted_at IS NULL AND id > $2 ORDER BY id LIMIT $3";
constexpr std::string_view kUpdate =
    "UPDATE users SET display_name = $3, role = $4, status = $5, specialty = $6, "
    "registration_kind = $7, registration_number = $8, registration_uf = $9, rqe = $10, "
    "registration_status = $11, updated_at = $12 "
    "WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING " USER_COLUMNS;
constexpr std::string_view kSetRegistrationStatus =
    "UPDATE users SET registration_status = $3, updated_at = $4 "
    "WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING " USER_COLUMNS;
constexpr std::string_view kSoftDelete =
    "UPDATE users SET email = $3, display_name = 'Usuário removido', status = 'deleted', "
    "password_hash = NULL, specialty = NULL, registration_kind = NULL, registration_number = NULL, "
    "registration_uf = NULL, rqe = NULL, registration_status = 'none', mfa_enabled = $5, "
    "mfa_secret = NULL, mfa_pending_secret = NULL, updated_at = $4, deleted_at = $4 "
    "WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL";
constexpr std::string_view kCredentials =
    "SELECT id, status, password_hash, mfa_enabled, mfa_secret, mfa_pending_secret FROM users "
    "WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL";

User FromRow(const store::Row& r) {
  User u;
  u.id = r.Int("id");
  u.tenant_id = r.Int("tenant_id");
  u.email = r.Text("email");
  u.display_name = r.Text("display_name");
  u.role = ParseRole(r.Text("role")).value_or(Role::kReader);
  u.status = r.Text("status");
  u.specialty = r.OptText("specialty");
  if (auto kind = r.OptText("registration_kind")) {
    Registration reg;
    reg.kind = *kind;
    reg.number = r.OptText("registration_number").value_or("");
    reg.uf = r.OptText("registration_uf").value_or("");
    reg.rqe = r.OptText("rqe");
    u.registration = std::move(reg);
  }
  u.registration_status = r.Text("registration_status");
  u.mfa_enabled = r.Bool("mfa_enabled");
  u.last_login_at = r.OptText("last_login_at");
  u.created_at = r.Text("created_at");
  u.updated_at = r.Text("updated_at");
  u.deleted_at = r.OptText("deleted_at");
  return u;
}

std::optional<std::string> RegField(const std::optional<Registration>& r,
                                    std::string Registration::*field) {
  if (!r) return std::nullopt;
  return (*r).*field;
}

}  // namespace

std::string_view RoleName(Role r) {
  for (const auto& [k, n] : kRoles) {
    if (k == r) return n;
  }
  return "reader";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [k, n] : kRoles) {
    if (n == name) return k;
  }
  return std::nullopt;
}

std::optional<std::string> NormalizeEmail(std::string_view email) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front())))
    email.remove_prefix(1);
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back())))
    email.remove_suffix(1);
  if (email.size() < 3 || email.size() > 254) return std::nullopt;
  const size_t at = email.find('@');
  if (at == 0 || at == std::string_view::npos || at != email.rfind('@') || at + 1 >= email.size())
    return std::nullopt;
  const std::string_view domain = email.substr(at + 1);
  if (domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  std::string out;
  for (char c : email) {
    if (std::isspace(static_cast<unsigned char>(c)) ||
        std::iscntrl(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

Result<User> UserRepository::Create(int64_t tenant_id, const NewUser& user) {
  Error invalid(ErrorKind::kInvalidArgument, "validation_failed", "Dados do usuário inválidos.");
  auto email = NormalizeEmail(user.email);
  if (!email) invalid.WithField("email", "invalid_format");
  if (user.display_name.empty() || user.display_name.size() > 200)
    invalid.WithField("name", "invalid_length");
  if (user.specialty && user.specialty->size() > 120) invalid.WithField("specialty", "too_long");
  if (!invalid.fields().empty()) return std::unexpected(std::move(invalid));
  const std::string now = FormatTimestamp(clock_.Now());
  std::optional<std::string> hash;
  if (!user.password_hash.empty()) hash = user.password_hash;
  const auto& reg = user.registration;
  auto rows = db_.Run([&](store::Connection& c) {
    return c.Query(kInsert, {tenant_id, *email, user.display_name, RoleName(user.role), hash,
                             user.specialty, RegField(reg, &Registration::kind),
                             RegField(reg, &Registration::number), RegField(reg, &Registration::uf),
                             reg ? reg->rqe : std::nullopt, reg ? "pending" : "none", now});
  });
  if (!rows) {
    if (rows.error().code() == "unique_violation") {
      return Conflict("email_taken", "Já existe um usuário com este e-mail nesta clínica.");
    }
    if (rows.error().code() == "foreign_key_violation") return NotFound("tenant_not_found");
    return std::unexpected(std::move(rows).error());
  }
  return FromRow((*rows)[0]);
}

Result<User> UserRepository::FindByEmail(int64_t tenant_id, std::string_view email) {
  auto normalized = NormalizeEmail(email);
  if (!normalized) return NotFound("user_not_found");
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) {
    return c.QueryOne(kByEmail, {tenant_id, *normalized});
  }));
  if (!row) return NotFound("user_not_found");
  return FromRow(*row);
}

Result<User> UserRepository::FindById(int64_t tenant_id, int64_t id) {
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) {
    return c.QueryOne(kById, {tenant_id, id});
  }));
  if (!row) return NotFound("user_not_found");
  return FromRow(*row);
}

Result<std::vector<User>> UserRepository::List(int64_t tenant_id, int64_t after_id, int limit) {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return c.Query(kList, {tenant_id, after_id, int64_t{std::clamp(limit, 1, 200)}});
  }));
  std::vector<User> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

Result<User> UserRepository::Update(int64_t tenant_id, int64_t id, const UserUpdate& u) {
  Error invalid(ErrorKind::kInvalidArgument, "validation_failed", "Dados do usuário inválidos.");
  if (u.display_name && (u.display_name->empty() || u.display_name->size() > 200))
    invalid.WithField("name", "invalid_length");
  if (u.status && *u.status != "active" && *u.status != "locked" && *u.status != "disabled")
    invalid.WithField("status", "invalid_value");
  if (u.specialty && u.specialty->size() > 120) invalid.WithField("specialty", "too_long");
  if (!invalid.fields().empty()) return std::unexpected(std::move(invalid));
  return db_.Transact([&](store::Connection& c) -> Result<User> {
    HCMS_TRY(auto row, c.QueryOne(kById, {tenant_id, id}));
    if (!row) return NotFound("user_not_found");
    User cur = FromRow(*row);
    if (cur.deleted_at) return NotFound("user_not_found");
    std::optional<Registration> reg = cur.registration;
    std::string reg_status = cur.registration_status;
    if (u.clear_registration) {
      reg.reset();
      reg_status = "none";
    }
    if (u.registration) {
      reg = u.registration;
      reg_status = "pending";
    }
    std::optional<std::string> specialty = cur.specialty;
    if (u.specialty) specialty = u.specialty->empty() ? std::nullopt : u.specialty;
    HCMS_TRY(
        auto updated,
        c.QueryOne(kUpdate,
                   {tenant_id, id, u.display_name.value_or(cur.display_name),
                    RoleName(u.role.value_or(cur.role)), u.status.value_or(cur.status), specialty,
                    RegField(reg, &Registration::kind), RegField(reg, &Registration::number),
                    RegField(reg, &Registration::uf), reg ? reg->rqe : std::nullopt, reg_status,
                    FormatTimestamp(clock_.Now())}));
    if (!updated) return NotFound("user_not_found");
    return FromRow(*updated);
  });
}

Result<User> UserRepository::SetRegistrationStatus(int64_t tenant_id, int64_t id,
                                                   std::string_view status) {
  if (status != "pending" && status != "verified" && status != "rejected") {
    return std::unexpected(
        Error(ErrorKind::kInvalidArgument, "validation_failed", "Situação inválida.")
            .WithField("status", "invalid_value", "pending, verified ou rejected"));
  }
  HCMS_TRY(User cur, FindById(tenant_id, id));
  if (cur.deleted_at) return NotFound("user_not_found");
  if (!cur.registration) {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition, "no_registration",
                                 "O usuário não tem registro profissional."));
  }
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) {
    return c.QueryOne(kSetRegistrationStatus,
                      {tenant_id, id, status, FormatTimestamp(clock_.Now())});
  }));
  if (!row) return NotFound("user_not_found");
  return FromRow(*row);
}

Status UserRepository::SoftDelete(int64_t tenant_id, int64_t id) {
  const std::string now = FormatTimestamp(clock_.Now());
  return db_.Transact([&](store::Connection& c) -> Status {
    HCMS_TRY(int64_t n,
             c.Execute(kSoftDelete,
                       {tenant_id, id, "deleted-" + std::to_string(id) + "@invalid", now, false}));
    if (n == 0) return NotFound("user_not_found");
    HCMS_TRY(int64_t s, c.Execute("UPDATE auth_sessions SET revoked_at = $3, revoke_reason = "
                                  "'user_deleted' WHERE tenant_id = $1 AND user_id = $2 AND "
                                  "revoked_at IS NULL",
                                  {tenant_id, id, now}));
    HCMS_TRY(int64_t a, c.Execute("UPDATE app_passwords SET revoked_at = $3 WHERE tenant_id = $1 "
                                  "AND user_id = $2 AND revoked_at IS NULL",
                                  {tenant_id, id, now}));
    HCMS_TRY(int64_t r, c.Execute("DELETE FROM mfa_recovery_codes WHERE tenant_id = $1 AND "
                                  "user_id = $2",
                                  {tenant_id, id}));
    HCMS_TRY(int64_t d, c.Execute("DELETE FROM user_devices WHERE tenant_id = $1 AND user_id = $2",
                                  {tenant_id, id}));
    (void)s, (void)a, (void)r, (void)d;
    return Ok();
  });
}

Result<int64_t> UserRepository::CountAll() {
  HCMS_TRY(auto rows,
           db_.Run([&](store::Connection& c) { return c.Query("SELECT COUNT(*) FROM users"); }));
  return rows[0].Int(0);
}

Result<Credentials> UserRepository::GetCredentials(int64_t tenant_id, int64_t id) {
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) {
    return c.QueryOne(kCredentials, {tenant_id, id});
  }));
  if (!row) return NotFound("user_not_found");
  Credentials cr;
  cr.user_id = row->Int("id");
  cr.status = row->Text("status");
  cr.password_hash = row->OptText("password_hash");
  cr.mfa_enabled = row->Bool("mfa_enabled");
  cr.mfa_secret = row->OptText("mfa_secret");
  cr.mfa_pending_secret = row->OptText("mfa_pending_secret");
  return cr;
}

Status UserRepository::SetPasswordHash(int64_t tenant_id, int64_t id, const std::string& hash) {
  HCMS_TRY(int64_t n, db_.Run([&](store::Connection& c) {
    return c.Execute(
        "UPDATE users SET password_hash = $3, updated_at = $4 WHERE tenant_id = $1 "
        "AND id = $2",
        {tenant_id, id, hash, FormatTimestamp(clock_.Now())});
  }));
  if (n == 0) return NotFound("user_not_found");
  return Ok();
}

Status UserRepository::RecordLogin(int64_t tenant_id, int64_t id) {
  HCMS_TRY(int64_t n, db_.Run([&](store::Connection& c) {
    return c.Execute("UPDATE users SET last_login_at = $3 WHERE tenant_id = $1 AND id = $2",
                     {tenant_id, id, FormatTimestamp(clock_.Now())});
  }));
  (void)n;
  return Ok();
}

Status UserRepository::SetPendingMfaSecret(int64_t tenant_id, int64_t id,
                                           const std::string& sealed) {
  HCMS_TRY(int64_t n, db_.Run([&](store::Connection& c) {
    return c.Execute(
        "UPDATE users SET mfa_pending_secret = $3 WHERE tenant_id = $1 AND id = $2 "
        "AND deleted_at IS NULL",
        {tenant_id, id, sealed});
  }));
  if (n == 0) return NotFound("user_not_found");
  return Ok();
}

Status UserRepository::EnableMfa(int64_t tenant_id, int64_t id,
                                 const std::vector<std::string>& code_hashes) {
  return db_.Transact([&](store::Connection& c) -> Status {
    HCMS_TRY(int64_t n,
             c.Execute("UPDATE users SET mfa_secret = mfa_pending_secret, mfa_pending_secret = "
                       "NULL, mfa_enabled = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2 "
                       "AND mfa_pending_secret IS NOT NULL",
                       {tenant_id, id, true, FormatTimestamp(clock_.Now())}));
    if (n == 0) {
      return std::unexpected(Error(ErrorKind::kFailedPrecondition, "mfa_not_enrolling",
                                   "Inicie o cadastro do autenticador primeiro."));
    }
    HCMS_TRY(int64_t d, c.Execute("DELETE FROM mfa_recovery_codes WHERE tenant_id = $1 AND "
                                  "user_id = $2",
                                  {tenant_id, id}));
    (void)d;
    for (const auto& h : code_hashes) {
      HCMS_TRY(int64_t i, c.Execute("INSERT INTO mfa_recovery_codes (tenant_id, user_id, "
                                    "code_hash) VALUES ($1, $2, $3)",
                                    {tenant_id, id, h}));
      (void)i;
    }
    return Ok();
  });
}

Status UserRepository::DisableMfa(int64_t tenant_id, int64_t id) {
  return db_.Transact([&](store::Connection& c) -> Status {
    HCMS_TRY(int64_t n,
             c.Execute("UPDATE users SET mfa_enabled = $3, mfa_secret = NULL, mfa_pending_secret "
                       "= NULL, updated_at = $4 WHERE tenant_id = $1 AND id = $2",
                       {tenant_id, id, false, FormatTimestamp(clock_.Now())}));
    if (n == 0) return NotFound("user_not_found");
    HCMS_TRY(int64_t d, c.Execute("DELETE FROM mfa_recovery_codes WHERE tenant_id = $1 AND "
                                  "user_id = $2",
                                  {tenant_id, id}));
    (void)d;
    return Ok();
  });
}

Result<bool> UserRepository::UseRecoveryCode(int64_t tenant_id, int64_t id,
                                             const std::string& code_hash) {
  HCMS_TRY(int64_t n, db_.Run([&](store::Connection& c) {
    return c.Execute(
        "UPDATE mfa_recovery_codes SET used_at = $4 WHERE tenant_id = $1 AND "
        "user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        {tenant_id, id, code_hash, FormatTimestamp(clock_.Now())});
  }));
  return n > 0;
}

}  // namespace hcms::accounts
