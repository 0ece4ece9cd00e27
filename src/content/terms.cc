#include "content/terms.h"

#include <fmt/format.h>

#include "content/posts.h"
#include "content/text.h"

namespace hcms::content {

namespace {

// count = published posts with the term, as WordPress shows it.
constexpr std::string_view kColumns =
    "t.id, t.tenant_id, t.taxonomy, t.name, t.slug, t.description, t.parent_id, t.specialty, "
    "(SELECT COUNT(*) FROM post_terms pt JOIN posts p ON p.id = pt.post_id "
    "WHERE pt.term_id = t.id AND p.status = 'publish') AS count";
constexpr std::string_view kInsert =
    "INSERT INTO content_terms (tenant_id, taxonomy, name, slug, description, parent_id, "
    "specialty, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
constexpr std::string_view kInsertWithId =
    "INSERT INTO content_terms (id, tenant_id, taxonomy, name, slug, description, parent_id, "
    "specialty, created_at) VALUES ($9, $1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
constexpr std::string_view kUpdate =
    "UPDATE content_terms SET name = $3, slug = $4, description = $5, parent_id = $6 "
    "WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kSeed =
    "INSERT INTO content_terms (tenant_id, taxonomy, name, slug, description, specialty, "
    "created_at) VALUES ($1, 'category', $2, $3, '', $4, $5) "
    "ON CONFLICT (tenant_id, taxonomy, slug) DO NOTHING";

Term FromRow(const store::Row& r) {
  Term t;
  t.id = r.Int(0);
  t.tenant_id = r.Int(1);
  t.taxonomy = r.Text(2);
  t.name = r.Text(3);
  t.slug = r.Text(4);
  t.description = r.Text(5);
  if (!r.IsNull(6)) t.parent_id = r.Int(6);
  if (!r.IsNull(7)) t.specialty = r.Text(7);
  t.count = r.Int(8);
  return t;
}

Status Validate(const TermInput& in) {
  Error e(ErrorKind::kInvalidArgument, "validation_failed", "Dados do termo inválidos.");
  if (in.name.empty() || in.name.size() > 200 || !IsValidUtf8(in.name))
    e.WithField("name", "invalid_length", "1 a 200 caracteres");
  if (in.taxonomy.empty() || in.taxonomy.size() > 32) e.WithField("taxonomy", "invalid_format");
  if (in.description.size() > 10000 || !IsValidUtf8(in.description))
    e.WithField("description", "too_long");
  if (!e.fields().empty()) return std::unexpected(std::move(e));
  return Ok();
}

}  // namespace

Result<Term> TermStore::Create(store::Connection& c, int64_t tenant_id, const TermInput& in,
                               std::optional<int64_t> id) {
  HCMS_CHECK(Validate(in));
  std::string slug = Slugify(in.slug.empty() ? in.name : in.slug);
  if (slug.empty()) slug = "termo";
  if (in.parent_id) {
    HCMS_TRY(Term parent, Get(c, tenant_id, *in.parent_id));
    if (parent.taxonomy != in.taxonomy) {
      return std::unexpected(
          Error(ErrorKind::kInvalidArgument, "validation_failed", "Termo pai de outra taxonomia.")
              .WithField("parent", "invalid_parent"));
    }
  }
  std::vector<store::Value> params = {
      tenant_id,      in.taxonomy,  in.name,      slug,
      in.description, in.parent_id, in.specialty, FormatTimestamp(clock_.Now())};
  if (id) params.emplace_back(*id);
  auto rows = c.Query(id ? kInsertWithId : kInsert, params);
  if (!rows) {
    if (rows.error().code() == "unique_violation")
      return Conflict("term_exists", "Já existe um termo com este identificador.");
    return std::unexpected(std::move(rows).error());
  }
  if (id) HCMS_CHECK(PostStore::SyncIdentity(c, "content_terms"));
  return Get(c, tenant_id, (*rows)[0].Int(0));
}

Result<Term> TermStore::Update(store::Connection& c, int64_t tenant_id, int64_t id,
                               const TermInput& in) {
  HCMS_CHECK(Validate(in));
  HCMS_TRY(Term current, Get(c, tenant_id, id));
  std::string slug = in.slug.empty() ? current.slug : Slugify(in.slug);
  if (in.parent_id && *in.parent_id == id) {
    return std::unexpected(Error(ErrorKind::kInvalidArgument, "validation_failed",
                                 "Um termo não pode ser pai de si mesmo.")
                               .WithField("parent", "invalid_parent"));
  }
  auto r = c.Query(kUpdate, {tenant_id, id, in.name, slug, in.description, in.parent_id});
  if (!r) {
    if (r.error().code() == "unique_violation")
      return Conflict("term_exists", "Já existe um termo com este identificador.");
    return std::unexpected(std::move(r).error());
  }
  return Get(c, tenant_id, id);
}

Result<Term> TermStore::Get(store::Connection& c, int64_t tenant_id, int64_t id) {
  HCMS_TRY(auto row,
           c.QueryOne(fmt::format("SELECT {} FROM content_terms t WHERE t.tenant_id = $1 AND "
                                  "t.id = $2",
                                  kColumns),
                      {tenant_id, id}));
  if (!row) return NotFound("term_not_found", "Termo não encontrado.");
  return FromRow(*row);
}

Result<std::optional<Term>> TermStore::FindBySlug(store::Connection& c, int64_t tenant_id,
                                                  std::string_view taxonomy,
                                                  std::string_view slug) {
  HCMS_TRY(auto row,
           c.QueryOne(fmt::format("SELECT {} FROM content_terms t WHERE t.tenant_id = $1 AND "
                                  "t.taxonomy = $2 AND t.slug = $3",
                                  kColumns),
                      {tenant_id, taxonomy, slug}));
  if (!row) return std::optional<Term>();
  return std::optional<Term>(FromRow(*row));
}

Result<TermPage> TermStore::List(store::Connection& c, int64_t tenant_id, const TermQuery& q) {
  std::vector<store::Value> params = {tenant_id, q.taxonomy};
  std::string where = "t.tenant_id = $1 AND t.taxonomy = $2";
  auto add = [&](store::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  auto ids = [&](const std::vector<int64_t>& v) {
    std::string out;
    for (int64_t x : v) out += (out.empty() ? "" : ", ") + add(x);
    return out;
  };
  if (!q.search.empty()) {
    const std::string like = "%" + q.search + "%";
    const std::string p1 = add(like);
    where += " AND (LOWER(t.name) LIKE LOWER(" + p1 + ") OR t.slug LIKE LOWER(" + p1 + "))";
  }
  if (!q.include.empty()) where += " AND t.id IN (" + ids(q.include) + ")";
  if (!q.exclude.empty()) where += " AND t.id NOT IN (" + ids(q.exclude) + ")";
  if (!q.slugs.empty()) {
    std::string s;
    for (const auto& slug : q.slugs) s += (s.empty() ? "" : ", ") + add(slug);
    where += " AND t.slug IN (" + s + ")";
  }
  if (q.parent) {
    where += *q.parent == 0 ? " AND t.parent_id IS NULL" : " AND t.parent_id = " + add(*q.parent);
  }
  if (q.post_id) {
    where += " AND t.id IN (SELECT term_id FROM post_terms WHERE tenant_id = $1 AND post_id = " +
             add(*q.post_id) + ")";
  }
  std::string sql_base = fmt::format("SELECT {} FROM content_terms t WHERE {}", kColumns, where);
  if (q.hide_empty) sql_base = "SELECT * FROM (" + sql_base + ") x WHERE x.count > 0";
  HCMS_TRY(auto count, c.Query("SELECT COUNT(*) FROM (" + sql_base + ") y", params));
  TermPage page;
  page.total = count[0].Int(0);
  std::string order = "name";
  if (q.order_by == "id" || q.order_by == "slug" || q.order_by == "count") order = q.order_by;
  const int64_t per_page = std::clamp<int64_t>(q.per_page, 1, 1000);
  const std::string limit = add(per_page);
  const std::string offset = add((std::max<int64_t>(q.page, 1) - 1) * per_page);
  HCMS_TRY(auto rows,
           c.Query(fmt::format("SELECT * FROM ({}) z ORDER BY z.{} {}, z.id ASC "
                               "LIMIT {} OFFSET {}",
                               sql_base, order, q.ascending ? "ASC" : "DESC", limit, offset),
                   params));
  for (const auto& r : rows) page.terms.push_back(FromRow(r));
  return page;
}

Status TermStore::Delete(store::Connection& c, int64_t tenant_id, int64_t id) {
  HCMS_TRY(Term t, Get(c, tenant_id, id));
  HCMS_CHECK(Exec(c,
                  "UPDATE content_terms SET parent_id = $3 WHERE tenant_id = $1 AND "
                  "parent_id = $2",
                  {tenant_id, id, t.parent_id}));
  HCMS_CHECK(
      Exec(c, "DELETE FROM post_terms WHERE tenant_id = $1 AND term_id = $2", {tenant_id, id}));
  HCMS_CHECK(
      Exec(c, "DELETE FROM content_terms WHERE tenant_id = $1 AND id = $2", {tenant_id, id}));
  return Ok();
}

Status TermStore::EnsureSpecialties(store::Connection& c, int64_t tenant_id) {
  const std::string now = FormatTimestamp(clock_.Now());
  for (const auto& s : MedicalSpecialties()) {
    HCMS_TRY(auto r, c.Query(kSeed, {tenant_id, s.name_pt, s.slug, s.code, now}));
    (void)r;
  }
  return Ok();
}

}  // namespace hcms::content
