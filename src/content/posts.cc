#include "content/posts.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "content/markdown.h"
#include "content/sanitizer.h"
#include "content/text.h"
#include "store/sql_params.h"

namespace hcms::content {

namespace {

constexpr std::string_view kColumns =
    "p.id, p.tenant_id, p.type, p.status, p.trashed_status, p.title, p.content, "
    "p.content_format, p.excerpt, p.slug, p.author_id, p.parent_id, p.menu_order, "
    "p.comment_status, p.ping_status, p.sticky, p.featured_media_id, p.compliance_level, "
    "p.mime_type, p.source_url, p.guid, p.date_gmt, p.modified_gmt, p.created_at, p.version";

constexpr std::string_view kInsert =
    "INSERT INTO posts (tenant_id, type, status, title, content, content_format, excerpt, slug, "
    "author_id, parent_id, menu_order, comment_status, ping_status, sticky, featured_media_id, "
    "compliance_level, mime_type, source_url, guid, date_gmt, modified_gmt, created_at, version) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
    "$19, $20, $21, $21, 1) RETURNING id";
constexpr std::string_view kInsertWithId =
    "INSERT INTO posts (id, tenant_id, type, status, title, content, content_format, excerpt, "
    "slug, author_id, parent_id, menu_order, comment_status, ping_status, sticky, "
    "featured_media_id, compliance_level, mime_type, source_url, guid, date_gmt, modified_gmt, "
    "created_at, version) "
    "VALUES ($22, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
    "$18, $19, $20, $21, $21, 1) RETURNING id";
constexpr std::string_view kUpdate =
    "UPDATE posts SET title = $3, content = $4, content_format = $5, excerpt = $6, slug = $7, "
    "author_id = $8, parent_id = $9, menu_order = $10, comment_status = $11, ping_status = $12, "
    "sticky = $13, featured_media_id = $14, compliance_level = $15, mime_type = $16, "
    "source_url = $17, guid = $18, date_gmt = $19, modified_gmt = $20, version = version + 1 "
    "WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kIdExists = "SELECT 1 FROM posts WHERE id = $1";
constexpr std::string_view kSlugTaken =
    "SELECT 1 FROM posts WHERE tenant_id = $1 AND slug = $2 AND id <> $3 AND "
    "((type IN ('post', 'page') AND $4 = 0) OR (type = 'attachment' AND $4 = 1))";
constexpr std::string_view kDelete = "DELETE FROM posts WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kDeleteTerms =
    "DELETE FROM post_terms WHERE tenant_id = $1 AND post_id = $2";
constexpr std::string_view kInsertTerm =
    "INSERT INTO post_terms (tenant_id, post_id, term_id) "
    "SELECT $1, $2, id FROM content_terms WHERE tenant_id = $1 AND id = $3 "
    "ON CONFLICT DO NOTHING";
constexpr std::string_view kInsertRevision =
    "INSERT INTO post_revisions (tenant_id, post_id, author_id, title, content, content_format, "
    "excerpt, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kRevisions =
    "SELECT id, post_id, author_id, title, content, content_format, excerpt, created_at "
    "FROM post_revisions WHERE tenant_id = $1 AND post_id = $2 ORDER BY id DESC";
constexpr std::string_view kRevision =
    "SELECT id, post_id, author_id, title, content, content_format, excerpt, created_at "
    "FROM post_revisions WHERE tenant_id = $1 AND post_id = $2 AND id = $3";
constexpr std::string_view kWriteStatus =
    "UPDATE posts SET status = $3, trashed_status = $4, date_gmt = COALESCE($5, date_gmt), "
    "modified_gmt = $6, version = version + 1 WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kWriteStatusPg =
    "UPDATE posts SET status = $3, trashed_status = $4, "
    "date_gmt = COALESCE(CAST($5 AS TIMESTAMPTZ), date_gmt), modified_gmt = $6, "
    "version = version + 1 WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kDue =
    "SELECT tenant_id, id FROM posts WHERE status = 'future' AND date_gmt <= $1 ORDER BY date_gmt";
constexpr std::string_view kMeta =
    "SELECT id, meta_key, meta_value FROM post_meta WHERE tenant_id = $1 AND post_id = $2 "
    "ORDER BY id";
constexpr std::string_view kAddMeta =
    "INSERT INTO post_meta (tenant_id, post_id, meta_key, meta_value) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kMetaValue =
    "SELECT meta_value FROM post_meta WHERE tenant_id = $1 AND post_id = $2 AND meta_key = $3 "
    "ORDER BY id LIMIT 1";
constexpr std::string_view kLatestRevision =
    "SELECT MAX(id) FROM post_revisions WHERE tenant_id = $1 AND post_id = $2";
constexpr std::string_view kDeleteMeta =
    "DELETE FROM post_meta WHERE tenant_id = $1 AND post_id = $2 AND meta_key = $3";
constexpr std::string_view kFtsDelete = "DELETE FROM posts_fts WHERE rowid = $1";
constexpr std::string_view kFtsInsert =
    "INSERT INTO posts_fts (rowid, title, body) VALUES ($1, $2, $3)";
constexpr std::string_view kPgIndex =
    "UPDATE posts SET search_vector = setweight(to_tsvector('hcms_portuguese', $2), 'A') || "
    "setweight(to_tsvector('hcms_portuguese', $3), 'B') WHERE id = $1";

Post FromRow(const store::Row& r) {
  Post p;
  p.id = r.Int(0);
  p.tenant_id = r.Int(1);
  p.type = ParsePostType(r.Text(2)).value_or(PostType::kPost);
  p.status = ParsePostStatus(r.Text(3)).value_or(PostStatus::kDraft);
  if (!r.IsNull(4)) p.trashed_status = ParsePostStatus(r.Text(4));
  p.title = r.Text(5);
  p.content = r.Text(6);
  p.format = ParseContentFormat(r.Text(7)).value_or(ContentFormat::kHtml);
  p.excerpt = r.Text(8);
  p.slug = r.Text(9);
  if (!r.IsNull(10)) p.author_id = r.Int(10);
  if (!r.IsNull(11)) p.parent_id = r.Int(11);
  p.menu_order = r.Int(12);
  p.comments_open = r.Text(13) == "open";
  p.pings_open = r.Text(14) == "open";
  p.sticky = r.Bool(15);
  if (!r.IsNull(16)) p.featured_media_id = r.Int(16);
  p.compliance = ParseComplianceLevel(r.Text(17)).value_or(ComplianceLevel::kPhi);
  p.mime_type = r.Text(18);
  p.source_url = r.Text(19);
  p.guid = r.Text(20);
  p.date_gmt = r.Text(21);
  p.modified_gmt = r.Text(22);
  p.created_at = r.Text(23);
  p.version = r.Int(24);
  return p;
}

Revision RevisionFromRow(const store::Row& r) {
  Revision v;
  v.id = r.Int(0);
  v.post_id = r.Int(1);
  if (!r.IsNull(2)) v.author_id = r.Int(2);
  v.title = r.Text(3);
  v.content = r.Text(4);
  v.format = ParseContentFormat(r.Text(5)).value_or(ContentFormat::kHtml);
  v.excerpt = r.Text(6);
  v.created_at = r.Text(7);
  return v;
}

// Applies `in` over `p`, sanitising what is stored.
Status Apply(Post& p, const PostInput& in, const Clock& clock) {
  Error e(ErrorKind::kInvalidArgument, "validation_failed", "Dados do conteúdo inválidos.");
  if (in.title) p.title = *in.title;
  if (in.format) p.format = *in.format;
  if (in.content) p.content = *in.content;
  if (in.excerpt) p.excerpt = *in.excerpt;
  if (in.author_id) p.author_id = *in.author_id;
  if (in.parent_id) p.parent_id = *in.parent_id;
  if (in.menu_order) p.menu_order = *in.menu_order;
  if (in.comments_open) p.comments_open = *in.comments_open;
  if (in.pings_open) p.pings_open = *in.pings_open;
  if (in.sticky) p.sticky = *in.sticky;
  if (in.featured_media_id) p.featured_media_id = *in.featured_media_id;
  if (in.compliance) p.compliance = *in.compliance;
  if (in.mime_type) p.mime_type = *in.mime_type;
  if (in.source_url) p.source_url = *in.source_url;
  if (in.guid) p.guid = *in.guid;
  if (in.date_gmt) {
    auto t = ParseTimestamp(*in.date_gmt);
    if (!t) {
      e.WithField("date_gmt", "invalid_timestamp", "data RFC 3339");
    } else {
      p.date_gmt = FormatTimestamp(*t);
    }
  }
  if (in.term_ids) p.term_ids = *in.term_ids;
  if (!IsValidUtf8(p.title) || !IsValidUtf8(p.content) || !IsValidUtf8(p.excerpt))
    e.WithField("content", "invalid_utf8", "texto em UTF-8");
  if (p.title.size() > 1000) e.WithField("title", "too_long", "até 1.000 caracteres");
  if (p.content.size() > (4u << 20)) e.WithField("content", "too_long", "até 4 MiB");
  if (p.excerpt.size() > 20000) e.WithField("excerpt", "too_long", "até 20.000 caracteres");
  if (p.parent_id && *p.parent_id == p.id && p.id != 0)
    e.WithField("parent", "invalid_parent", "um conteúdo não pode ser pai de si mesmo");
  if (!p.source_url.empty() && !IsSafeUrl(p.source_url))
    e.WithField("source_url", "invalid_url", "URL http(s) ou relativa");
  if (!e.fields().empty()) return std::unexpected(std::move(e));
  // Stored HTML is sanitised HTML; Markdown is kept and sanitised when rendered.
  if (in.content && p.format == ContentFormat::kHtml) p.content = SanitizeHtml(p.content);
  if (in.excerpt) p.excerpt = SanitizeHtml(p.excerpt);
  if (in.title) p.title = SanitizeHtml(p.title);
  if (p.date_gmt.empty()) p.date_gmt = FormatTimestamp(clock.Now());
  return Ok();
}

std::vector<store::Value> Params(const Post& p) {
  return {p.tenant_id,
          PostTypeName(p.type),
          PostStatusName(p.status),
          p.title,
          p.content,
          ContentFormatName(p.format),
          p.excerpt,
          p.slug,
          p.author_id,
          p.parent_id,
          p.menu_order,
          p.comments_open ? "open" : "closed",
          p.pings_open ? "open" : "closed",
          p.sticky,
          p.featured_media_id,
          ComplianceLevelName(p.compliance),
          p.mime_type,
          p.source_url,
          p.guid,
          p.date_gmt,
          p.modified_gmt};
}

// Words of a user's search as an FTS5 query: each word quoted, all required.
std::string Fts5Query(std::string_view search) {
  std::string out;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!out.empty()) out += ' ';
    out += '"' + word + '"';
    word.clear();
  };
  for (char c : search) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

}  // namespace

Status Exec(store::Connection& c, std::string_view sql,
            std::initializer_list<store::Value> params) {
  HCMS_TRY(auto rows, c.Query(sql, params));
  (void)rows;
  return Ok();
}

std::string StripBlockComments(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  size_t i = 0;
  while (i < html.size()) {
    const size_t at = html.find("<!--", i);
    if (at == std::string_view::npos) break;
    const std::string_view rest = html.substr(at + 4);
    const size_t end = html.find("-->", at + 4);
    if (end == std::string_view::npos || !(rest.starts_with(" wp:") || rest.starts_with(" /wp:"))) {
      out.append(html.substr(i, at + 4 - i));
      i = at + 4;
      continue;
    }
    out.append(html.substr(i, at - i));
    i = end + 3;
    if (i < html.size() && html[i] == '\n') ++i;  // the line the delimiter stood on
  }
  out.append(html.substr(std::min(i, html.size())));
  return out;
}

std::string RenderContent(const Post& post) {
  if (post.format == ContentFormat::kMarkdown) return SanitizeHtml(MarkdownToHtml(post.content));
  return StripBlockComments(SanitizeHtml(post.content));
}

Status PostStore::SyncIdentity(store::Connection& c, std::string_view table) {
  if (c.dialect() != store::Dialect::kPostgres) return Ok();
  // `table` is one of our own table names, never input.
  const std::string sql = fmt::format(
      "SELECT setval(pg_get_serial_sequence('{0}', 'id'), GREATEST(1, (SELECT MAX(id) FROM {0})))",
      table);
  HCMS_TRY(auto r, c.Query(sql));
  (void)r;
  return Ok();
}

Result<std::string> PostStore::UniqueSlug(store::Connection& c, int64_t tenant_id, PostType type,
                                          std::string_view wanted, std::optional<int64_t> self_id) {
  std::string base = Slugify(wanted);
  if (base.empty()) base = type == PostType::kPage ? "pagina" : "post";
  const int attachment = type == PostType::kAttachment ? 1 : 0;
  std::string candidate = base;
  for (int n = 2; n < 10000; ++n) {
    HCMS_TRY(auto row,
             c.QueryOne(kSlugTaken, {tenant_id, candidate, self_id.value_or(0), attachment}));
    if (!row) return candidate;
    candidate = base + "-" + std::to_string(n);
  }
  return Conflict("slug_taken", "Não foi possível gerar um identificador único.");
}

Result<Post> PostStore::Create(store::Connection& c, int64_t tenant_id, PostType type,
                               const PostInput& input, const CreateOptions& options) {
  Post p;
  p.tenant_id = tenant_id;
  p.type = type;
  p.status = options.status;
  p.comments_open = type == PostType::kPost;
  HCMS_CHECK(Apply(p, input, clock_));
  const std::string now = FormatTimestamp(clock_.Now());
  p.modified_gmt = now;
  if (options.modified_gmt) {
    if (auto t = ParseTimestamp(*options.modified_gmt)) p.modified_gmt = FormatTimestamp(*t);
  }
  p.created_at = now;
  HCMS_TRY(p.slug, UniqueSlug(c, tenant_id, type, input.slug ? *input.slug : p.title, {}));
  auto params = Params(p);
  params.back() = store::Value(p.modified_gmt);
  std::string_view sql = kInsert;
  if (options.id) {
    HCMS_TRY(auto taken, c.QueryOne(kIdExists, {*options.id}));
    if (taken) return Conflict("id_taken", "Este id já está em uso.");
    params.emplace_back(*options.id);
    sql = kInsertWithId;
  }
  HCMS_TRY(auto rows, c.Query(sql, params));
  p.id = rows[0].Int(0);
  if (options.id) HCMS_CHECK(SyncIdentity(c, "posts"));
  if (!p.term_ids.empty()) HCMS_CHECK(WriteTerms(c, tenant_id, p.id, p.term_ids));
  if (options.revision && type != PostType::kAttachment)
    HCMS_CHECK(WriteRevision(c, p, options.actor_id));
  HCMS_CHECK(Reindex(c, p));
  return Get(c, tenant_id, p.id);
}

Result<Post> PostStore::Update(store::Connection& c, int64_t tenant_id, int64_t id,
                               const PostInput& input, std::optional<int64_t> actor_id) {
  HCMS_TRY(Post p, Get(c, tenant_id, id));
  if (input.expected_version && *input.expected_version != p.version) {
    return Conflict("stale_version",
                    "O conteúdo foi alterado por outra pessoa; recarregue e tente de novo.");
  }
  const std::string old_title = p.title, old_content = p.content, old_excerpt = p.excerpt;
  const ContentFormat old_format = p.format;
  HCMS_CHECK(Apply(p, input, clock_));
  if (input.slug) {
    HCMS_TRY(p.slug,
             UniqueSlug(c, tenant_id, p.type, input.slug->empty() ? p.title : *input.slug, p.id));
  }
  p.modified_gmt = FormatTimestamp(clock_.Now());
  auto params = Params(p);
  // kUpdate numbers: $1 tenant, $2 id, then the editable columns.
  std::vector<store::Value> up = {tenant_id, id};
  for (size_t i = 3; i < params.size(); ++i) up.push_back(params[i]);
  HCMS_TRY(auto r, c.Query(kUpdate, up));
  (void)r;
  if (input.term_ids) HCMS_CHECK(WriteTerms(c, tenant_id, id, p.term_ids));
  const bool text_changed = p.title != old_title || p.content != old_content ||
                            p.excerpt != old_excerpt || p.format != old_format;
  if (text_changed && p.type != PostType::kAttachment) HCMS_CHECK(WriteRevision(c, p, actor_id));
  if (text_changed) HCMS_CHECK(Reindex(c, p));
  return Get(c, tenant_id, id);
}

Result<Post> PostStore::Get(store::Connection& c, int64_t tenant_id, int64_t id) {
  HCMS_TRY(auto row, c.QueryOne(fmt::format("SELECT {} FROM posts p WHERE p.tenant_id = $1 AND "
                                            "p.id = $2",
                                            kColumns),
                                {tenant_id, id}));
  if (!row) return NotFound("post_not_found", "Conteúdo não encontrado.");
  std::vector<Post> one = {FromRow(*row)};
  HCMS_CHECK(LoadTerms(c, tenant_id, one));
  return std::move(one[0]);
}

Result<std::optional<Post>> PostStore::FindBySlug(store::Connection& c, int64_t tenant_id,
                                                  std::string_view slug) {
  HCMS_TRY(auto row, c.QueryOne(fmt::format("SELECT {} FROM posts p WHERE p.tenant_id = $1 AND "
                                            "p.slug = $2 AND p.type IN ('post', 'page')",
                                            kColumns),
                                {tenant_id, slug}));
  if (!row) return std::optional<Post>();
  std::vector<Post> one = {FromRow(*row)};
  HCMS_CHECK(LoadTerms(c, tenant_id, one));
  return std::optional<Post>(std::move(one[0]));
}

Result<std::optional<Post>> PostStore::FindByGuid(store::Connection& c, int64_t tenant_id,
                                                  PostType type, std::string_view guid) {
  HCMS_TRY(auto row, c.QueryOne(fmt::format("SELECT {} FROM posts p WHERE p.tenant_id = $1 AND "
                                            "p.guid = $2 AND p.type = $3",
                                            kColumns),
                                {tenant_id, guid, PostTypeName(type)}));
  if (!row) return std::optional<Post>();
  return std::optional<Post>(FromRow(*row));
}

Result<PostPage> PostStore::List(store::Connection& c, int64_t tenant_id, const PostQuery& q,
                                 const ListCounts* counts) {
  const bool pg = c.dialect() == store::Dialect::kPostgres;
  std::vector<store::Value> params = {tenant_id};
  std::string from = "posts p";
  std::string where = "p.tenant_id = $1";
  std::string rank;
  auto in_text = [&](auto&& names) {
    std::string out;
    for (const auto& n : names) {
      params.emplace_back(std::string(n));
      out += (out.empty() ? "$" : ", $") + std::to_string(params.size());
    }
    return out;
  };
  std::vector<std::string_view> types, statuses;
  for (PostType t : q.types) types.push_back(PostTypeName(t));
  for (PostStatus s : q.statuses) statuses.push_back(PostStatusName(s));
  if (!types.empty()) where += " AND p.type IN (" + in_text(types) + ")";
  if (!statuses.empty()) where += " AND p.status IN (" + in_text(statuses) + ")";
  if (q.max_compliance) {
    std::vector<std::string_view> levels;
    for (int i = 0; i <= static_cast<int>(*q.max_compliance); ++i)
      levels.push_back(ComplianceLevelName(static_cast<ComplianceLevel>(i)));
    where += " AND p.compliance_level IN (" + in_text(levels) + ")";
  }
  if (!q.search.empty()) {
    if (pg) {
      params.emplace_back(q.search);
      const std::string n = std::to_string(params.size());
      where += " AND p.search_vector @@ websearch_to_tsquery('hcms_portuguese', $" + n + ")";
      rank = "ts_rank_cd(p.search_vector, websearch_to_tsquery('hcms_portuguese', $" + n + "))";
    } else {
      const std::string fts = Fts5Query(FoldAccents(q.search));
      if (fts.empty()) return PostPage{};
      params.emplace_back(fts);
      // The full-text match drives the join (CROSS JOIN fixes SQLite's loop order):
      // with posts as the outer loop, FTS5 re-evaluated the MATCH for every post of
      // the practice (perf: 10 ms of CPU per /wp-json search over 1,000 posts).
      from = "posts_fts CROSS JOIN posts p ON p.id = posts_fts.rowid";
      where += " AND posts_fts MATCH $" + std::to_string(params.size());
      rank = "-bm25(posts_fts, 10.0, 1.0)";
    }
  }
  auto any_terms = [&](const std::vector<int64_t>& ids) {
    if (ids.empty()) return;
    where +=
        " AND EXISTS (SELECT 1 FROM post_terms pt WHERE pt.post_id = p.id AND pt.term_id IN (" +
        store::AppendInList(params, ids) + "))";
  };
  any_terms(q.any_terms_a);
  any_terms(q.any_terms_b);
  if (!q.exclude_terms.empty()) {
    where +=
        " AND NOT EXISTS (SELECT 1 FROM post_terms pt WHERE pt.post_id = p.id AND pt.term_id "
        "IN (" +
        store::AppendInList(params, q.exclude_terms) + "))";
  }
  if (!q.authors.empty())
    where += " AND p.author_id IN (" + store::AppendInList(params, q.authors) + ")";
  if (!q.include.empty()) where += " AND p.id IN (" + store::AppendInList(params, q.include) + ")";
  if (!q.exclude.empty())
    where += " AND p.id NOT IN (" + store::AppendInList(params, q.exclude) + ")";
  if (!q.slugs.empty()) where += " AND p.slug IN (" + in_text(q.slugs) + ")";
  if (q.parent) {
    if (*q.parent == 0) {
      where += " AND p.parent_id IS NULL";
    } else {
      params.emplace_back(*q.parent);
      where += " AND p.parent_id = $" + std::to_string(params.size());
    }
  }
  if (q.after) {
    params.emplace_back(*q.after);
    where += " AND p.date_gmt > $" + std::to_string(params.size());
  }
  if (q.before) {
    params.emplace_back(*q.before);
    where += " AND p.date_gmt < $" + std::to_string(params.size());
  }
  if (q.sticky) {
    params.emplace_back(*q.sticky);
    where += " AND p.sticky = $" + std::to_string(params.size());
  }
  if (q.public_or_author) {
    params.emplace_back(*q.public_or_author);
    where +=
        " AND (((p.status = 'publish' OR (p.type = 'attachment' AND p.status = 'inherit')) AND "
        "p.compliance_level = 'public') OR p.author_id = $" +
        std::to_string(params.size()) + ")";
  }

  PostPage page;
  const std::string count_sql = fmt::format("SELECT COUNT(*) FROM {} WHERE {}", from, where);
  std::string count_key;
  std::shared_ptr<const int64_t> known;
  if (counts != nullptr) {
    // The statement and its parameters name the count; the practice and the
    // generation say it still holds.
    count_key = fmt::format("{}\x1f{}\x1f{}", tenant_id, counts->generation, count_sql);
    for (const auto& v : params) {
      const std::string text = v.DebugString();  // length first: no two lists alike
      fmt::format_to(std::back_inserter(count_key), "\x1f{}:{}", text.size(), text);
    }
    known = counts->cache.Find(count_key);
  }
  if (known) {
    page.total = *known;
  } else {
    HCMS_TRY(auto count_rows, c.Query(count_sql, params));
    page.total = count_rows[0].Int(0);
    if (counts != nullptr) {
      counts->cache.Store(count_key, std::make_shared<const int64_t>(page.total), sizeof(int64_t));
    }
  }
  if (page.total == 0) return page;

  const std::string dir = q.ascending ? "ASC" : "DESC";
  std::string order;
  switch (q.order_by) {
    case PostOrder::kDate:
      order = "p.date_gmt " + dir + ", p.id " + dir;
      break;
    case PostOrder::kModified:
      order = "p.modified_gmt " + dir + ", p.id " + dir;
      break;
    case PostOrder::kId:
    case PostOrder::kInclude:
      order = "p.id " + dir;
      break;
    case PostOrder::kTitle:
      order = "p.title " + dir + ", p.id " + dir;
      break;
    case PostOrder::kSlug:
      order = "p.slug " + dir;
      break;
    case PostOrder::kMenuOrder:
      order = "p.menu_order " + dir + ", p.title ASC";
      break;
    case PostOrder::kRelevance:
      order = rank.empty() ? "p.date_gmt DESC, p.id DESC" : rank + " DESC, p.date_gmt DESC";
      break;
  }
  const int64_t per_page = std::clamp<int64_t>(q.per_page, 1, 1000);
  const int64_t offset = (std::max<int64_t>(q.page, 1) - 1) * per_page;
  // The first pages (what nearly every reader asks for) carry LIMIT and OFFSET as
  // literals: with them as parameters PostgreSQL plans the statement again on every
  // execution (a generic plan costed for an unknown LIMIT loses to a custom one),
  // ~0.1 ms of its CPU per listing; with literals it keeps one generic plan. Deeper
  // pages take parameters, so the distinct statement texts stay few.
  const bool literal_page = offset <= 4 * per_page && per_page <= 100;
  std::string limit_sql;
  if (literal_page) {
    limit_sql = fmt::format("LIMIT {} OFFSET {}", per_page, offset);
  } else {
    params.emplace_back(per_page);
    params.emplace_back(offset);
    limit_sql = fmt::format("LIMIT ${} OFFSET ${}", params.size() - 1, params.size());
  }
  // Orders no index gives (relevance, title, slug, ...) sort every matching row: the
  // page's ids are found first, so only (id, sort key) tuples are sorted, and then
  // the page's rows are read by id (perf: SQLite's sorter copying whole posts was
  // 14 % of a search over 1,000 posts).
  const bool sorted_by_index =
      rank.empty() && (q.order_by == PostOrder::kDate || q.order_by == PostOrder::kId ||
                       q.order_by == PostOrder::kInclude);
  const std::string limit = fmt::format("ORDER BY {} {}", order, limit_sql);
  if (sorted_by_index) {
    HCMS_TRY(auto rows,
             c.Query(fmt::format("SELECT {} FROM {} WHERE {} {}", kColumns, from, where, limit),
                     params));
    page.posts.reserve(rows.size());
    for (const auto& r : rows) page.posts.push_back(FromRow(r));
  } else {
    HCMS_TRY(auto hits,
             c.Query(fmt::format("SELECT p.id FROM {} WHERE {} {}", from, where, limit), params));
    std::vector<int64_t> ids;
    ids.reserve(hits.size());
    for (const auto& r : hits) ids.push_back(r.Int(0));
    if (!ids.empty()) {
      std::vector<store::Value> by_id = {tenant_id};
      const std::string rows_sql =
          fmt::format("SELECT {} FROM posts p WHERE p.tenant_id = $1 AND p.id IN ({})", kColumns,
                      store::AppendInList(by_id, ids));
      HCMS_TRY(auto rows, c.Query(rows_sql, by_id));
      std::unordered_map<int64_t, Post> found;
      for (const auto& r : rows) {
        Post post = FromRow(r);
        const int64_t id = post.id;
        found.emplace(id, std::move(post));
      }
      page.posts.reserve(ids.size());
      for (int64_t id : ids) {
        // A post deleted between the two reads is simply not on the page.
        if (auto it = found.find(id); it != found.end())
          page.posts.push_back(std::move(it->second));
      }
    }
  }
  if (q.order_by == PostOrder::kInclude && !q.include.empty()) {
    std::stable_sort(page.posts.begin(), page.posts.end(), [&](const Post& a, const Post& b) {
      return std::find(q.include.begin(), q.include.end(), a.id) <
             std::find(q.include.begin(), q.include.end(), b.id);
    });
  }
  HCMS_CHECK(LoadTerms(c, tenant_id, page.posts));
  return page;
}

Status PostStore::Delete(store::Connection& c, int64_t tenant_id, int64_t id) {
  HCMS_TRY(Post p, Get(c, tenant_id, id));
  (void)p;
  if (c.dialect() == store::Dialect::kSqlite) {
    HCMS_CHECK(Exec(c, kFtsDelete, {id}));
  }
  // Children keep existing; they lose their parent, as in WordPress.
  HCMS_CHECK(Exec(c,
                  "UPDATE posts SET parent_id = NULL WHERE tenant_id = $1 AND "
                  "parent_id = $2",
                  {tenant_id, id}));
  HCMS_TRY(auto u2, c.Query("UPDATE posts SET featured_media_id = NULL WHERE tenant_id = $1 AND "
                            "featured_media_id = $2",
                            {tenant_id, id}));
  for (std::string_view table :
       {"post_terms", "post_meta", "post_revisions", "post_transitions", "comments"}) {
    HCMS_CHECK(Exec(c, fmt::format("DELETE FROM {} WHERE tenant_id = $1 AND post_id = $2", table),
                    {tenant_id, id}));
  }
  HCMS_CHECK(Exec(c, kDelete, {tenant_id, id}));
  return Ok();
}

Status PostStore::WriteStatus(store::Connection& c, int64_t tenant_id, int64_t id,
                              PostStatus status, std::optional<PostStatus> trashed_status,
                              std::optional<std::string> date_gmt) {
  std::optional<std::string> trashed;
  if (trashed_status) trashed = std::string(PostStatusName(*trashed_status));
  HCMS_TRY(auto r, c.Query(c.dialect() == store::Dialect::kPostgres ? kWriteStatusPg : kWriteStatus,
                           {tenant_id, id, PostStatusName(status), trashed, date_gmt,
                            FormatTimestamp(clock_.Now())}));
  if (r.affected == 0) return NotFound("post_not_found", "Conteúdo não encontrado.");
  return Ok();
}

Result<std::vector<std::pair<int64_t, int64_t>>> PostStore::DueScheduled(store::Connection& c,
                                                                         std::string_view now) {
  HCMS_TRY(auto rows, c.Query(kDue, {now}));
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const auto& r : rows) out.emplace_back(r.Int(0), r.Int(1));
  return out;
}

Result<std::vector<Revision>> PostStore::Revisions(store::Connection& c, int64_t tenant_id,
                                                   int64_t post_id) {
  HCMS_TRY(auto rows, c.Query(kRevisions, {tenant_id, post_id}));
  std::vector<Revision> out;
  for (const auto& r : rows) out.push_back(RevisionFromRow(r));
  return out;
}

Result<Revision> PostStore::GetRevision(store::Connection& c, int64_t tenant_id, int64_t post_id,
                                        int64_t revision_id) {
  HCMS_TRY(auto row, c.QueryOne(kRevision, {tenant_id, post_id, revision_id}));
  if (!row) return NotFound("revision_not_found", "Revisão não encontrada.");
  return RevisionFromRow(*row);
}

Result<std::unordered_map<int64_t, int64_t>> PostStore::RevisionCounts(
    store::Connection& c, int64_t tenant_id, const std::vector<int64_t>& ids) {
  std::unordered_map<int64_t, int64_t> out;
  if (ids.empty()) return out;
  std::vector<store::Value> params = {tenant_id};
  const std::string sql =
      "SELECT post_id, COUNT(*) FROM post_revisions WHERE tenant_id = $1 AND post_id IN (" +
      store::AppendInList(params, ids) + ") GROUP BY post_id";
  HCMS_TRY(auto rows, c.Query(sql, params));
  for (const auto& r : rows) out[r.Int(0)] = r.Int(1);
  return out;
}

Result<std::vector<MetaEntry>> PostStore::Meta(store::Connection& c, int64_t tenant_id,
                                               int64_t post_id) {
  HCMS_TRY(auto rows, c.Query(kMeta, {tenant_id, post_id}));
  std::vector<MetaEntry> out;
  for (const auto& r : rows) out.push_back({r.Int(0), r.Text(1), r.Text(2)});
  return out;
}

Status PostStore::AddMeta(store::Connection& c, int64_t tenant_id, int64_t post_id,
                          std::string_view key, std::string_view value) {
  if (key.empty() || key.size() > 255 || !IsValidUtf8(key) || !IsValidUtf8(value)) {
    return InvalidArgument("invalid_meta", "Campo personalizado inválido.");
  }
  HCMS_TRY(auto r, c.Query(kAddMeta, {tenant_id, post_id, key, value}));
  (void)r;
  return Ok();
}

Status PostStore::SetMeta(store::Connection& c, int64_t tenant_id, int64_t post_id,
                          std::string_view key, std::string_view value) {
  return SetMetaIn(c, tenant_id, post_id, key, value);
}

Result<std::optional<std::string>> PostStore::MetaValueIn(store::Connection& c, int64_t tenant_id,
                                                          int64_t post_id, std::string_view key) {
  HCMS_TRY(auto rows, c.Query(kMetaValue, {tenant_id, post_id, key}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].Text(0));
}

Result<std::optional<int64_t>> PostStore::LatestRevisionId(store::Connection& c, int64_t tenant_id,
                                                           int64_t post_id) {
  HCMS_TRY(auto rows, c.Query(kLatestRevision, {tenant_id, post_id}));
  if (rows.empty() || rows[0].IsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(rows[0].Int(0));
}

Status PostStore::SetMetaIn(store::Connection& c, int64_t tenant_id, int64_t post_id,
                            std::string_view key, std::string_view value) {
  if (key.empty() || key.size() > 255 || !IsValidUtf8(key) || !IsValidUtf8(value)) {
    return InvalidArgument("invalid_meta", "Campo personalizado inválido.");
  }
  HCMS_CHECK(Exec(c, kDeleteMeta, {tenant_id, post_id, key}));
  return Exec(c, kAddMeta, {tenant_id, post_id, key, value});
}

Status PostStore::DeleteMeta(store::Connection& c, int64_t tenant_id, int64_t post_id,
                             std::string_view key) {
  HCMS_TRY(auto r, c.Query(kDeleteMeta, {tenant_id, post_id, key}));
  (void)r;
  return Ok();
}

std::string StoredHtml(const Post& post) {
  if (post.format == ContentFormat::kMarkdown) return SanitizeHtml(MarkdownToHtml(post.content));
  return StripBlockComments(post.content);  // sanitised when it was written
}

Status PostStore::Reindex(store::Connection& c, const Post& p) {
  const std::string title = HtmlToText(p.title);
  const std::string body = HtmlToText(StoredHtml(p)) + "\n" + HtmlToText(p.excerpt);
  if (c.dialect() == store::Dialect::kPostgres) {
    HCMS_TRY(auto r, c.Query(kPgIndex, {p.id, title, body}));
    (void)r;
    return Ok();
  }
  HCMS_CHECK(Exec(c, kFtsDelete, {p.id}));
  HCMS_TRY(auto i, c.Query(kFtsInsert, {p.id, title, body}));
  return Ok();
}

Status PostStore::LoadTerms(store::Connection& c, int64_t tenant_id, std::vector<Post>& posts) {
  if (posts.empty()) return Ok();
  std::vector<store::Value> params = {tenant_id};
  std::vector<int64_t> ids;
  for (const auto& p : posts) ids.push_back(p.id);
  const std::string sql =
      "SELECT post_id, term_id FROM post_terms WHERE tenant_id = $1 AND post_id IN (" +
      store::AppendInList(params, ids) + ") ORDER BY term_id";
  HCMS_TRY(auto rows, c.Query(sql, params));
  std::unordered_map<int64_t, Post*> by_id;
  for (auto& p : posts) {
    p.term_ids.clear();
    by_id[p.id] = &p;
  }
  for (const auto& r : rows) {
    if (auto it = by_id.find(r.Int(0)); it != by_id.end()) it->second->term_ids.push_back(r.Int(1));
  }
  return Ok();
}

Status PostStore::WriteTerms(store::Connection& c, int64_t tenant_id, int64_t post_id,
                             const std::vector<int64_t>& term_ids) {
  HCMS_CHECK(Exec(c, kDeleteTerms, {tenant_id, post_id}));
  std::set<int64_t> seen;
  for (int64_t t : term_ids) {
    if (!seen.insert(t).second) continue;
    HCMS_TRY(auto r, c.Query(kInsertTerm, {tenant_id, post_id, t}));
    if (r.affected == 0) {
      return std::unexpected(
          Error(ErrorKind::kInvalidArgument, "validation_failed", "Categoria ou tag inexistente.")
              .WithField("terms", "unknown_term", std::to_string(t)));
    }
  }
  return Ok();
}

Status PostStore::WriteRevision(store::Connection& c, const Post& p, std::optional<int64_t> actor) {
  HCMS_TRY(auto r,
           c.Query(kInsertRevision, {p.tenant_id, p.id, actor, p.title, p.content,
                                     ContentFormatName(p.format), p.excerpt, p.modified_gmt}));
  (void)r;
  return Ok();
}

}  // namespace hcms::content
