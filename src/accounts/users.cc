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

constexpr std::string_view kInsert =
    "INSERT INTO users (tenant_id, email, display_name, role, password_hash, status, created_at, "
    "updated_at) "
    "VALUES ($1, $2, $3, $4, $5, 'active', $6, $6) "
    "RETURNING id, tenant_id, email, display_name, role, status, created_at";
constexpr std::string_view kByEmail =
    "SELECT id, tenant_id, email, display_name, role, status, created_at FROM users "
    "WHERE tenant_id = $1 AND email = $2 AND deleted_at IS NULL";
constexpr std::string_view kById =
    "SELECT id, tenant_id, email, display_name, role, status, created_at FROM users "
    "WHERE tenant_id = $1 AND id = $2";

User FromRow(const store::Row& r) {
  User u;
  u.id = r.Int("id");
  u.tenant_id = r.Int("tenant_id");
  u.email = r.Text("email");
  u.display_name = r.Text("display_name");
  u.role = ParseRole(r.Text("role")).value_or(Role::kReader);
  u.status = r.Text("status");
  u.created_at = r.Text("created_at");
  return u;
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
  if (!invalid.fields().empty()) return std::unexpected(std::move(invalid));
  const std::string now = FormatTimestamp(clock_.Now());
  std::optional<std::string> hash;
  if (!user.password_hash.empty()) hash = user.password_hash;
  auto rows = db_.Run([&](store::Connection& c) {
    return c.Query(kInsert, {tenant_id, *email, user.display_name, RoleName(user.role), hash, now});
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

Result<int64_t> UserRepository::CountAll() {
  HCMS_TRY(auto rows,
           db_.Run([&](store::Connection& c) { return c.Query("SELECT COUNT(*) FROM users"); }));
  return rows[0].Int(0);
}

}  // namespace hcms::accounts
