#include "content/comments.h"

#include <fmt/format.h>

#include "content/posts.h"
#include "content/sanitizer.h"
#include "content/text.h"
#include "store/sql_params.h"

namespace hcms::content {

namespace {

constexpr std::string_view kColumns =
    "id, tenant_id, post_id, parent_id, user_id, author_name, author_email, author_url, content, "
    "status, date_gmt";
constexpr std::string_view kInsert =
    "INSERT INTO comments (tenant_id, post_id, parent_id, user_id, author_name, author_email, "
    "author_url, content, status, date_gmt, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
constexpr std::string_view kInsertWithId =
    "INSERT INTO comments (id, tenant_id, post_id, parent_id, user_id, author_name, "
    "author_email, author_url, content, status, date_gmt, created_at) "
    "VALUES ($12, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
constexpr std::string_view kAuthorColumns =
    "u.id, u.tenant_id, u.display_name, a.slug, a.bio, a.crm, a.crm_uf";

Comment FromRow(const store::Row& r) {
  Comment m;
  m.id = r.Int(0);
  m.tenant_id = r.Int(1);
  m.post_id = r.Int(2);
  if (!r.IsNull(3)) m.parent_id = r.Int(3);
  if (!r.IsNull(4)) m.user_id = r.Int(4);
  m.author_name = r.Text(5);
  m.author_email = r.Text(6);
  m.author_url = r.Text(7);
  m.content = r.Text(8);
  m.status = ParseCommentStatus(r.Text(9)).value_or(CommentStatus::kHold);
  m.date_gmt = r.Text(10);
  return m;
}

Author AuthorFromRow(const store::Row& r) {
  Author a;
  a.id = r.Int(0);
  a.tenant_id = r.Int(1);
  a.name = r.Text(2);
  a.slug = r.IsNull(3) ? "autor-" + std::to_string(a.id) : r.Text(3);
  a.bio = r.IsNull(4) ? "" : r.Text(4);
  a.crm = r.OptText("crm");
  a.crm_uf = r.OptText("crm_uf");
  return a;
}

}  // namespace

Result<Comment> CommentStore::Create(store::Connection& c, int64_t tenant_id, Comment m,
                                     std::optional<int64_t> id, bool check_open) {
  Error e(ErrorKind::kInvalidArgument, "validation_failed", "Comentário inválido.");
  if (m.content.empty() || m.content.size() > 65535 || !IsValidUtf8(m.content))
    e.WithField("content", "invalid_length", "1 a 65.535 caracteres");
  if (m.author_name.size() > 245 || !IsValidUtf8(m.author_name))
    e.WithField("author_name", "too_long");
  if (m.author_email.size() > 100) e.WithField("author_email", "too_long");
  if (!m.author_url.empty() && !IsSafeUrl(m.author_url)) e.WithField("author_url", "invalid_url");
  if (!e.fields().empty()) return std::unexpected(std::move(e));
  HCMS_TRY(auto post, c.QueryOne("SELECT comment_status FROM posts WHERE tenant_id = $1 AND "
                                 "id = $2",
                                 {tenant_id, m.post_id}));
  if (!post) return NotFound("post_not_found", "Conteúdo não encontrado.");
  if (check_open && post->Text(0) != "open") {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition, "comments_closed",
                                 "Os comentários deste conteúdo estão fechados."));
  }
  m.content = SanitizeHtml(m.content);
  if (m.date_gmt.empty()) m.date_gmt = FormatTimestamp(clock_.Now());
  std::vector<store::Value> params = {tenant_id,
                                      m.post_id,
                                      m.parent_id,
                                      m.user_id,
                                      m.author_name,
                                      m.author_email,
                                      m.author_url,
                                      m.content,
                                      CommentStatusName(m.status),
                                      m.date_gmt,
                                      FormatTimestamp(clock_.Now())};
  if (id) params.emplace_back(*id);
  HCMS_TRY(auto rows, c.Query(id ? kInsertWithId : kInsert, params));
  if (id && c.dialect() == store::Dialect::kPostgres) {
    HCMS_TRY(auto s, c.Query("SELECT setval(pg_get_serial_sequence('comments', 'id'), "
                             "GREATEST(1, (SELECT MAX(id) FROM comments)))"));
  }
  return Get(c, tenant_id, rows[0].Int(0));
}

Result<Comment> CommentStore::Get(store::Connection& c, int64_t tenant_id, int64_t id) {
  HCMS_TRY(auto row, c.QueryOne(fmt::format("SELECT {} FROM comments WHERE tenant_id = $1 AND "
                                            "id = $2",
                                            kColumns),
                                {tenant_id, id}));
  if (!row) return NotFound("comment_not_found", "Comentário não encontrado.");
  return FromRow(*row);
}

Result<Comment> CommentStore::Moderate(store::Connection& c, int64_t tenant_id, int64_t id,
                                       CommentStatus status) {
  HCMS_TRY(auto r, c.Query("UPDATE comments SET status = $3 WHERE tenant_id = $1 AND id = $2",
                           {tenant_id, id, CommentStatusName(status)}));
  if (r.affected == 0) return NotFound("comment_not_found", "Comentário não encontrado.");
  return Get(c, tenant_id, id);
}

Result<CommentPage> CommentStore::List(store::Connection& c, int64_t tenant_id,
                                       const CommentQuery& q) {
  std::vector<store::Value> params = {tenant_id};
  auto add = [&](store::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  std::string where = "tenant_id = $1";
  if (!q.posts.empty()) {
    std::string in;
    for (int64_t p : q.posts) in += (in.empty() ? "" : ", ") + add(p);
    where += " AND post_id IN (" + in + ")";
  }
  if (!q.statuses.empty()) {
    std::string in;
    for (auto s : q.statuses) in += (in.empty() ? "" : ", ") + add(CommentStatusName(s));
    where += " AND status IN (" + in + ")";
  }
  if (q.parent)
    where += *q.parent == 0 ? " AND parent_id IS NULL" : " AND parent_id = " + add(*q.parent);
  if (q.only_public_posts) {
    where +=
        " AND post_id IN (SELECT id FROM posts WHERE tenant_id = $1 AND status = 'publish' AND "
        "compliance_level = 'public')";
  }
  HCMS_TRY(auto count, c.Query("SELECT COUNT(*) FROM comments WHERE " + where, params));
  CommentPage page;
  page.total = count[0].Int(0);
  const int64_t per_page = std::clamp<int64_t>(q.per_page, 1, 1000);
  const std::string limit = add(per_page);
  const std::string offset = add((std::max<int64_t>(q.page, 1) - 1) * per_page);
  HCMS_TRY(auto rows, c.Query(fmt::format("SELECT {} FROM comments WHERE {} ORDER BY date_gmt {}, "
                                          "id {} LIMIT {} OFFSET {}",
                                          kColumns, where, q.ascending ? "ASC" : "DESC",
                                          q.ascending ? "ASC" : "DESC", limit, offset),
                              params));
  for (const auto& r : rows) page.comments.push_back(FromRow(r));
  return page;
}

Status CommentStore::Delete(store::Connection& c, int64_t tenant_id, int64_t id) {
  HCMS_TRY(auto u, c.Query("UPDATE comments SET parent_id = NULL WHERE tenant_id = $1 AND "
                           "parent_id = $2",
                           {tenant_id, id}));
  HCMS_TRY(auto r,
           c.Query("DELETE FROM comments WHERE tenant_id = $1 AND id = $2", {tenant_id, id}));
  if (r.affected == 0) return NotFound("comment_not_found", "Comentário não encontrado.");
  return Ok();
}

Result<Author> AuthorStore::Upsert(store::Connection& c, int64_t tenant_id, int64_t user_id,
                                   const AuthorInput& in) {
  std::string slug = Slugify(in.slug);
  if (slug.empty()) slug = "autor-" + std::to_string(user_id);
  HCMS_TRY(auto user, c.QueryOne("SELECT id FROM users WHERE tenant_id = $1 AND id = $2",
                                 {tenant_id, user_id}));
  if (!user) return NotFound("author_not_found", "Autor não encontrado.");
  HCMS_CHECK(Exec(c, "DELETE FROM author_profiles WHERE tenant_id = $1 AND user_id = $2",
                  {tenant_id, user_id}));
  auto r = c.Query(
      "INSERT INTO author_profiles (user_id, tenant_id, slug, bio, crm, crm_uf, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {user_id, tenant_id, slug, in.bio, in.crm, in.crm_uf, FormatTimestamp(clock_.Now())});
  if (!r) {
    if (r.error().code() == "unique_violation")
      return Conflict("author_slug_taken", "Já existe um autor com este identificador.");
    return std::unexpected(std::move(r).error());
  }
  return Get(c, tenant_id, user_id);
}

Result<Author> AuthorStore::Get(store::Connection& c, int64_t tenant_id, int64_t user_id) {
  HCMS_TRY(auto row, c.QueryOne(fmt::format("SELECT {} FROM users u LEFT JOIN author_profiles a "
                                            "ON a.user_id = u.id WHERE u.tenant_id = $1 AND "
                                            "u.id = $2",
                                            kAuthorColumns),
                                {tenant_id, user_id}));
  if (!row) return NotFound("author_not_found", "Autor não encontrado.");
  return AuthorFromRow(*row);
}

Result<std::vector<Author>> AuthorStore::GetMany(store::Connection& c, int64_t tenant_id,
                                                 const std::vector<int64_t>& user_ids) {
  std::vector<Author> out;
  if (user_ids.empty()) return out;
  std::vector<store::Value> params = {tenant_id};
  const std::string sql = fmt::format(
      "SELECT {} FROM users u LEFT JOIN author_profiles a ON a.user_id = u.id WHERE "
      "u.tenant_id = $1 AND u.id IN ({})",
      kAuthorColumns, store::AppendInList(params, user_ids));
  HCMS_TRY(auto rows, c.Query(sql, params));
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(AuthorFromRow(r));
  return out;
}

Result<std::optional<Author>> AuthorStore::FindBySlug(store::Connection& c, int64_t tenant_id,
                                                      std::string_view slug) {
  HCMS_TRY(auto row, c.QueryOne(fmt::format("SELECT {} FROM users u JOIN author_profiles a ON "
                                            "a.user_id = u.id WHERE u.tenant_id = $1 AND "
                                            "a.slug = $2",
                                            kAuthorColumns),
                                {tenant_id, slug}));
  if (row) return std::optional<Author>(AuthorFromRow(*row));
  // "autor-12" for users without a profile.
  if (slug.starts_with("autor-")) {
    int64_t id = 0;
    for (char ch : slug.substr(6)) {
      if (ch < '0' || ch > '9') return std::optional<Author>();
      id = id * 10 + (ch - '0');
      if (id > (int64_t{1} << 50)) return std::optional<Author>();
    }
    auto a = Get(c, tenant_id, id);
    if (a && a->slug == slug) return std::optional<Author>(*a);
  }
  return std::optional<Author>();
}

Result<std::vector<Author>> AuthorStore::List(store::Connection& c, int64_t tenant_id) {
  HCMS_TRY(auto rows, c.Query(fmt::format("SELECT {} FROM users u LEFT JOIN author_profiles a ON "
                                          "a.user_id = u.id WHERE u.tenant_id = $1 AND "
                                          "u.id IN (SELECT author_id FROM posts WHERE "
                                          "tenant_id = $1 AND status = 'publish') ORDER BY u.id",
                                          kAuthorColumns),
                              {tenant_id}));
  std::vector<Author> out;
  for (const auto& r : rows) out.push_back(AuthorFromRow(r));
  return out;
}

}  // namespace hcms::content
