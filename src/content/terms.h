// Terms: hierarchical categories, tags, imported custom taxonomies, and the 10
// medical specialties (categories with a `specialty` code, seeded per tenant).
// Slugs are unique per (tenant, taxonomy). Thread-safe (stateless).

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "content/model.h"
#include "core/clock.h"
#include "core/error.h"
#include "store/database.h"

namespace hcms::content {

struct TermInput {
  std::string taxonomy = std::string(kCategory);
  std::string name;
  std::string slug;  // empty: from the name
  std::string description;
  std::optional<int64_t> parent_id;
  std::optional<std::string> specialty;
};

struct TermQuery {
  std::string taxonomy = std::string(kCategory);
  std::string search;
  std::vector<int64_t> include;
  std::vector<int64_t> exclude;
  std::vector<std::string> slugs;
  std::optional<int64_t> parent;  // 0: top level
  std::optional<int64_t> post_id;
  bool hide_empty = false;
  std::string order_by = "name";  // id | name | slug | count
  bool ascending = true;
  int64_t page = 1;
  int64_t per_page = 10;
};

struct TermPage {
  std::vector<Term> terms;
  int64_t total = 0;
};

class TermStore {
 public:
  explicit TermStore(const Clock& clock) : clock_(clock) {}

  // kInvalidArgument "validation_failed"; kConflict "term_exists" (slug taken).
  Result<Term> Create(store::Connection& c, int64_t tenant_id, const TermInput& in,
                      std::optional<int64_t> id = std::nullopt);
  Result<Term> Update(store::Connection& c, int64_t tenant_id, int64_t id, const TermInput& in);
  Result<Term> Get(store::Connection& c, int64_t tenant_id, int64_t id);
  Result<std::optional<Term>> FindBySlug(store::Connection& c, int64_t tenant_id,
                                         std::string_view taxonomy, std::string_view slug);
  Result<TermPage> List(store::Connection& c, int64_t tenant_id, const TermQuery& q);
  Status Delete(store::Connection& c, int64_t tenant_id, int64_t id);
  // Seeds the medical specialties as categories; idempotent.
  Status EnsureSpecialties(store::Connection& c, int64_t tenant_id);

 private:
  const Clock& clock_;
};

}  // namespace hcms::content
