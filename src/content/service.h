// The content service: what the API, the public site and the CLI call.
//
// It owns the stores and the workflow, runs each call in a transaction, applies
// the editing rules (who may edit what; an approved post that is edited goes
// back to review) and keeps a small cache of rendered HTML, so the public site
// and /wp-json sanitise a post once per version instead of once per request.
//
// Thread-safe.

#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "content/comments.h"
#include "content/model.h"
#include "content/posts.h"
#include "content/terms.h"
#include "content/workflow.h"
#include "core/clock.h"
#include "store/database.h"

namespace hcms::content {

// The publication package (the pipeline's S.1.5 output) stored with a post when it
// is published: {"run_id", "revision_id", "html", "text", "jsonld"}. While the post is
// published, private or scheduled, the public site and the APIs render its "html".
inline constexpr std::string_view kPublicationMetaKey = "_hcms_publication";

// One line of a revision diff.
struct DiffLine {
  char op = ' ';  // ' ' same, '-' removed, '+' added
  std::string text;
};

// Line diff (longest common subsequence) of two texts.
std::vector<DiffLine> DiffLines(std::string_view before, std::string_view after);

class ContentService {
 public:
  ContentService(store::Database& db, const Clock& clock);

  store::Database& db() { return db_; }
  const Clock& clock() const { return clock_; }
  PostStore& posts() { return posts_; }
  TermStore& terms() { return terms_; }
  CommentStore& comments() { return comments_; }
  AuthorStore& authors() { return authors_; }
  Workflow& workflow() { return workflow_; }

  // Seeds per-tenant defaults (the medical specialties). Idempotent.
  Status EnsureTenantDefaults(int64_t tenant_id);

  // New content always starts as a draft; use the workflow to move it.
  // kPermissionDenied "forbidden_role" for readers.
  Result<Post> Create(int64_t tenant_id, PostType type, const PostInput& input, const Actor& actor);
  // With the create grant: one's own drafts and pending posts; with the edit or
  // publish grant: anything. Editing the text of an approved post sends
  // it back to pending review (recorded as a transition).
  Result<Post> Update(int64_t tenant_id, int64_t id, const PostInput& input, const Actor& actor);
  Result<Post> Get(int64_t tenant_id, int64_t id);
  Result<PostPage> List(int64_t tenant_id, const PostQuery& query);
  // The same, with the total remembered for the practice's content generation
  // `generation`, which the caller read before (see ListCounts): a page of a list
  // then costs its page query alone. Readers' lists (the public site, /wp-json).
  Result<PostPage> List(int64_t tenant_id, const PostQuery& query, int64_t generation);
  // The practice's content generation: database triggers (migration 0500) move it
  // forward inside every transaction that changes what readers can see (posts,
  // terms, meta, revisions, comments, author profiles, authors' names, the
  // practice's name, host or time zone), whichever process commits it. 0 before the
  // first change. Caches of rendered output key on it (api/public_cache.h).
  Result<int64_t> Generation(int64_t tenant_id);
  // Permanent removal; only from the trash (kFailedPrecondition "not_in_trash")
  // unless `force` (WordPress's ?force=true).
  Status Delete(int64_t tenant_id, int64_t id, const Actor& actor, bool force);

  Result<std::vector<Revision>> Revisions(int64_t tenant_id, int64_t post_id);
  Result<Revision> GetRevision(int64_t tenant_id, int64_t post_id, int64_t revision_id);
  // Copies a revision's text back into the post (a new save, so a new revision).
  Result<Post> RestoreRevision(int64_t tenant_id, int64_t post_id, int64_t revision_id,
                               const Actor& actor);

  Result<std::vector<MetaEntry>> Meta(int64_t tenant_id, int64_t post_id);

  // The rendered, sanitised HTML of a post, cached by (id, version, status): for a
  // published, private or scheduled post with a publication package, the package's
  // HTML (what the pipeline checked, with its disclaimers); otherwise the post's own
  // text rendered.
  std::string Rendered(const Post& post);
  // The post's own text rendered (never the package): what the pipeline reads.
  static std::string RenderedSource(const Post& post);
  // Plain-text excerpt: the post's own excerpt, or its first 55 words (as
  // WordPress does), cached with the render.
  std::string Excerpt(const Post& post);
  // Authors by id, for listings (one query for many posts).
  Result<std::unordered_map<int64_t, Author>> AuthorsOf(int64_t tenant_id,
                                                        const std::vector<Post>& posts);

  static Status CanEdit(const Actor& actor, const Post& post);
  // Whether `actor` may read the post's source (its text as written, before the
  // pipeline anonymised it and added the disclaimers): who may edit it, and
  // reviewers. Everyone else reads the rendered HTML only.
  static bool CanReadSource(const Actor& actor, const Post& post);

 private:
  store::Database& db_;
  const Clock& clock_;
  PostStore posts_;
  TermStore terms_;
  CommentStore comments_;
  AuthorStore authors_;
  Workflow workflow_;

  struct CacheEntry {
    int64_t version;
    std::string modified;
    PostStatus status;
    std::string html;
    std::string excerpt;
    std::list<int64_t>::iterator lru;
  };
  std::mutex cache_mu_;
  std::unordered_map<int64_t, CacheEntry> cache_;  // guarded by cache_mu_
  std::list<int64_t> lru_;                         // guarded by cache_mu_
  const CacheEntry* Find(const Post& post);        // requires cache_mu_
  CacheEntry Build(const Post& post);              // without the lock (may query)
  template <typename Pick>
  std::string Cached(const Post& post, Pick pick);  // takes cache_mu_ around lookups
  static constexpr size_t kCacheEntries = 4096;
  // Totals of readers' lists (List with a generation): a few hundred bytes each.
  LruCache<int64_t> list_counts_{size_t{4} << 20};
};

}  // namespace hcms::content
