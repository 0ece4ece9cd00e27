// Tenants: the medical practices (clínicas) that own everything else.
//
// Every table holding tenant data carries tenant_id and every repository call
// takes it; this repository is the one exception, since it manages the tenants
// themselves. Slugs are lower-case ASCII letters, digits and hyphens (1-63).
//
// Thread-safe (the Database is).

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "store/database.h"

namespace hcms::tenants {

struct Tenant {
  int64_t id = 0;
  std::string slug;
  std::string name;
  std::optional<std::string> host;  // a request for this Host selects the tenant
  std::string timezone = "America/Sao_Paulo";
  std::string locale = "pt-BR";
  std::string status = "active";
  std::string created_at;
  std::string updated_at;
};

struct NewTenant {
  std::string slug;
  std::string name;
  std::optional<std::string> host;
  std::string timezone = "America/Sao_Paulo";
  std::string locale = "pt-BR";
};

// kInvalidArgument "validation_failed" with field errors, or Ok.
Status ValidateNewTenant(const NewTenant& t);
bool IsValidSlug(std::string_view slug);

class TenantRepository {
 public:
  TenantRepository(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // kConflict "tenant_exists" when the slug or host is taken.
  Result<Tenant> Create(const NewTenant& t);
  // kNotFound "tenant_not_found".
  Result<Tenant> FindBySlug(std::string_view slug);
  Result<Tenant> FindById(int64_t id);
  Result<std::optional<Tenant>> FindByHost(std::string_view host);
  Result<std::vector<Tenant>> List();
  Result<int64_t> Count();

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace hcms::tenants
