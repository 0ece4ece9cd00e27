#include "tenants/tenants.h"

#include "core/time_zone.h"

namespace hcms::tenants {

namespace {

constexpr std::string_view kInsert =
    "INSERT INTO tenants (slug, name, host, timezone, locale, status, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, 'active', $6, $6) "
    "RETURNING id, slug, name, host, timezone, locale, status, created_at, updated_at";
constexpr std::string_view kBySlug =
    "SELECT id, slug, name, host, timezone, locale, status, created_at, updated_at FROM tenants "
    "WHERE slug = $1";
constexpr std::string_view kById =
    "SELECT id, slug, name, host, timezone, locale, status, created_at, updated_at FROM tenants "
    "WHERE id = $1";
constexpr std::string_view kByHost =
    "SELECT id, slug, name, host, timezone, locale, status, created_at, updated_at FROM tenants "
    "WHERE host = $1";
constexpr std::string_view kList =
    "SELECT id, slug, name, host, timezone, locale, status, created_at, updated_at FROM tenants "
    "ORDER BY id";

Tenant FromRow(const store::Row& r) {
  Tenant t;
  t.id = r.Int("id");
  t.slug = r.Text("slug");
  t.name = r.Text("name");
  t.host = r.OptText("host");
  t.timezone = r.Text("timezone");
  t.locale = r.Text("locale");
  t.status = r.Text("status");
  t.created_at = r.Text("created_at");
  t.updated_at = r.Text("updated_at");
  return t;
}

}  // namespace

bool IsValidSlug(std::string_view slug) {
  if (slug.empty() || slug.size() > 63 || slug.front() == '-' || slug.back() == '-') return false;
  for (char c : slug) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

Status ValidateNewTenant(const NewTenant& t) {
  Error e(ErrorKind::kInvalidArgument, "validation_failed", "Dados da clínica inválidos.");
  if (!IsValidSlug(t.slug)) {
    e.WithField("slug", "invalid_format", "letras minúsculas, dígitos e hífens (1 a 63)");
  }
  if (t.name.empty() || t.name.size() > 200)
    e.WithField("name", "invalid_length", "1 a 200 caracteres");
  if (t.host && (t.host->empty() || t.host->size() > 253)) e.WithField("host", "invalid_format");
  if (!IsValidTimeZone(t.timezone))
    e.WithField("timezone", "invalid_timezone", "fuso horário IANA, ex.: America/Sao_Paulo");
  if (t.locale != "pt-BR" && t.locale != "en") e.WithField("locale", "unsupported_locale");
  if (!e.fields().empty()) return std::unexpected(std::move(e));
  return Ok();
}

Result<Tenant> TenantRepository::Create(const NewTenant& t) {
  HCMS_CHECK(ValidateNewTenant(t));
  const std::string now = FormatTimestamp(clock_.Now());
  auto rows = db_.Run([&](store::Connection& c) {
    return c.Query(kInsert, {t.slug, t.name, t.host, t.timezone, t.locale, now});
  });
  if (!rows) {
    if (rows.error().code() == "unique_violation") {
      return Conflict("tenant_exists", "Já existe uma clínica com este identificador ou domínio.");
    }
    return std::unexpected(std::move(rows).error());
  }
  return FromRow((*rows)[0]);
}

Result<Tenant> TenantRepository::FindBySlug(std::string_view slug) {
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) { return c.QueryOne(kBySlug, {slug}); }));
  if (!row) return NotFound("tenant_not_found");
  return FromRow(*row);
}

Result<Tenant> TenantRepository::FindById(int64_t id) {
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) { return c.QueryOne(kById, {id}); }));
  if (!row) return NotFound("tenant_not_found");
  return FromRow(*row);
}

Result<std::optional<Tenant>> TenantRepository::FindByHost(std::string_view host) {
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) { return c.QueryOne(kByHost, {host}); }));
  if (!row) return std::optional<Tenant>();
  return std::optional<Tenant>(FromRow(*row));
}

Result<std::vector<Tenant>> TenantRepository::List() {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) { return c.Query(kList); }));
  std::vector<Tenant> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

Result<int64_t> TenantRepository::Count() {
  HCMS_TRY(auto rows,
           db_.Run([&](store::Connection& c) { return c.Query("SELECT COUNT(*) FROM tenants"); }));
  return rows[0].Int(0);
}

}  // namespace hcms::tenants
