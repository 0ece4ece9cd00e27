// Posts, pages and attachments: storage on both databases.
//
// The stores are views over one connection, so several operations can share a
// transaction (the importer runs a whole file in one):
//
//   db.Transact([&](store::Connection& c) -> Result<Post> {
//     HCMS_TRY(Post p, posts.Create(c, tenant, PostType::kPost, input, {.actor_id = uid}));
//     return posts.Get(c, tenant, p.id);
//   });
//
// Every save of title, content or excerpt writes a revision; HTML is sanitised
// on write (Markdown is kept as written and rendered through the sanitiser);
// the full-text index (FTS5 on SQLite, tsvector on PostgreSQL) follows every save.
// Slugs are unique per tenant across posts and pages: a taken slug gets "-2",
// "-3", ... as in WordPress.
//
// Thread-safe: no state besides the clock.

#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "content/model.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/lru_cache.h"
#include "store/database.h"

namespace hcms::content {

enum class PostOrder { kDate, kModified, kId, kTitle, kSlug, kRelevance, kMenuOrder, kInclude };

struct PostQuery {
  std::vector<PostType> types = {PostType::kPost};
  std::vector<PostStatus> statuses = {PostStatus::kPublish};
  std::optional<ComplianceLevel> max_compliance;  // set: hide stricter posts
  std::string search;
  std::vector<int64_t> any_terms_a;  // categories (any of)
  std::vector<int64_t> any_terms_b;  // tags (any of)
  std::vector<int64_t> exclude_terms;
  std::vector<int64_t> authors;
  std::vector<int64_t> include;
  std::vector<int64_t> exclude;
  std::vector<std::string> slugs;
  std::optional<int64_t> parent;
  std::optional<std::string> after;   // date_gmt > after
  std::optional<std::string> before;  // date_gmt < before
  std::optional<bool> sticky;
  // Set: only what this author may read besides public content (published, or an
  // attachment of a published post, at the public level) is counted and listed:
  // the author's own posts. 0: public content only. For readers whose role sees
  // no one else's unpublished work, so totals and pages hold only what they see.
  std::optional<int64_t> public_or_author;
  PostOrder order_by = PostOrder::kDate;
  bool ascending = false;
  int64_t page = 1;
  int64_t per_page = 10;
};

struct PostPage {
  std::vector<Post> posts;
  int64_t total = 0;
};

// Counts of matching posts (PostPage::total) remembered per practice content
// generation (ContentService::Generation): while the generation holds, nothing a
// count depends on has changed, so a list only reads its page. The generation
// must have been read before the list's queries run.
struct ListCounts {
  LruCache<int64_t>& cache;
  int64_t generation = 0;
};

struct CreateOptions {
  std::optional<int64_t> actor_id;
  PostStatus status = PostStatus::kDraft;
  std::optional<int64_t> id;                // keep this id (imports); must be free
  std::optional<std::string> modified_gmt;  // keep the source's (imports)
  bool revision = true;
};

class PostStore {
 public:
  explicit PostStore(const Clock& clock) : clock_(clock) {}

  // kInvalidArgument "validation_failed" (fields), kConflict "id_taken".
  Result<Post> Create(store::Connection& c, int64_t tenant_id, PostType type,
                      const PostInput& input, const CreateOptions& options);
  // kNotFound "post_not_found"; kConflict "stale_version".
  Result<Post> Update(store::Connection& c, int64_t tenant_id, int64_t id, const PostInput& input,
                      std::optional<int64_t> actor_id);
  Result<Post> Get(store::Connection& c, int64_t tenant_id, int64_t id);
  Result<std::optional<Post>> FindBySlug(store::Connection& c, int64_t tenant_id,
                                         std::string_view slug);
  Result<std::optional<Post>> FindByGuid(store::Connection& c, int64_t tenant_id, PostType type,
                                         std::string_view guid);
  // `counts`: reuse and remember the total (see ListCounts); null: always count.
  Result<PostPage> List(store::Connection& c, int64_t tenant_id, const PostQuery& q,
                        const ListCounts* counts = nullptr);
  // Removes the post and everything hanging off it.
  Status Delete(store::Connection& c, int64_t tenant_id, int64_t id);

  // Status changes belong to the workflow (content/workflow.h); this only writes.
  Status WriteStatus(store::Connection& c, int64_t tenant_id, int64_t id, PostStatus status,
                     std::optional<PostStatus> trashed_status, std::optional<std::string> date_gmt);
  // Scheduled posts whose date has come, across tenants: (tenant_id, id).
  Result<std::vector<std::pair<int64_t, int64_t>>> DueScheduled(store::Connection& c,
                                                                std::string_view now);

  Result<std::vector<Revision>> Revisions(store::Connection& c, int64_t tenant_id, int64_t post_id);
  // kNotFound "revision_not_found".
  Result<Revision> GetRevision(store::Connection& c, int64_t tenant_id, int64_t post_id,
                               int64_t revision_id);

  // The id of the newest revision of the post (the text as it is now), or nullopt
  // for a post saved without one (attachments).
  static Result<std::optional<int64_t>> LatestRevisionId(store::Connection& c, int64_t tenant_id,
                                                         int64_t post_id);

  // Number of revisions of each post (for WordPress's version-history link).
  Result<std::unordered_map<int64_t, int64_t>> RevisionCounts(store::Connection& c,
                                                              int64_t tenant_id,
                                                              const std::vector<int64_t>& ids);

  Result<std::vector<MetaEntry>> Meta(store::Connection& c, int64_t tenant_id, int64_t post_id);
  Status AddMeta(store::Connection& c, int64_t tenant_id, int64_t post_id, std::string_view key,
                 std::string_view value);
  // Replaces every value of `key`.
  Status SetMeta(store::Connection& c, int64_t tenant_id, int64_t post_id, std::string_view key,
                 std::string_view value);
  Status DeleteMeta(store::Connection& c, int64_t tenant_id, int64_t post_id, std::string_view key);
  // The first value of `key`, or nullopt (stateless).
  static Result<std::optional<std::string>> MetaValueIn(store::Connection& c, int64_t tenant_id,
                                                        int64_t post_id, std::string_view key);
  // SetMeta without a store (stateless).
  static Status SetMetaIn(store::Connection& c, int64_t tenant_id, int64_t post_id,
                          std::string_view key, std::string_view value);

  // A slug free for `type` in the tenant, derived from `wanted` (or the title).
  Result<std::string> UniqueSlug(store::Connection& c, int64_t tenant_id, PostType type,
                                 std::string_view wanted, std::optional<int64_t> self_id);

  // Rewrites the full-text entry of a post from its current content.
  Status Reindex(store::Connection& c, const Post& post);

  // After inserting explicit ids on PostgreSQL: moves the identity past them.
  static Status SyncIdentity(store::Connection& c, std::string_view table);

 private:
  Status LoadTerms(store::Connection& c, int64_t tenant_id, std::vector<Post>& posts);
  Status WriteTerms(store::Connection& c, int64_t tenant_id, int64_t post_id,
                    const std::vector<int64_t>& term_ids);
  Status WriteRevision(store::Connection& c, const Post& post, std::optional<int64_t> actor);

  const Clock& clock_;
};

// Runs a statement whose rows are not needed.
Status Exec(store::Connection& c, std::string_view sql,
            std::initializer_list<store::Value> params = {});

// The HTML a post shows: Markdown rendered, then sanitised (again, for HTML),
// without the Gutenberg block delimiters (they matter to editors, not readers).
std::string RenderContent(const Post& post);

// The post's HTML for indexing and scanning: what was sanitised on write (or the
// Markdown rendered and sanitised), without re-sanitising stored HTML.
std::string StoredHtml(const Post& post);

// Removes <!-- wp:... --> and <!-- /wp:... --> delimiters from sanitised HTML.
std::string StripBlockComments(std::string_view html);

}  // namespace hcms::content
