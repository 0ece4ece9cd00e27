#include "content/service.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "content/personal_data.h"
#include "content/sanitizer.h"
#include "content/text.h"
#include "core/log.h"

namespace hcms::content {

std::vector<DiffLine> DiffLines(std::string_view before, std::string_view after) {
  auto split = [](std::string_view s) {
    std::vector<std::string_view> lines;
    while (!s.empty()) {
      const size_t nl = s.find('\n');
      lines.push_back(s.substr(0, nl));
      if (nl == std::string_view::npos) break;
      s.remove_prefix(nl + 1);
    }
    return lines;
  };
  const auto a = split(before), b = split(after);
  std::vector<DiffLine> out;
  // Very long texts: fall back to "all removed, all added" instead of O(n*m) memory.
  if (a.size() * b.size() > 4'000'000) {
    for (auto l : a) out.push_back({'-', std::string(l)});
    for (auto l : b) out.push_back({'+', std::string(l)});
    return out;
  }
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  size_t i = 0, j = 0;
  while (i < n && j < m) {
    if (a[i] == b[j]) {
      out.push_back({' ', std::string(a[i])});
      ++i;
      ++j;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      out.push_back({'-', std::string(a[i++])});
    } else {
      out.push_back({'+', std::string(b[j++])});
    }
  }
  for (; i < n; ++i) out.push_back({'-', std::string(a[i])});
  for (; j < m; ++j) out.push_back({'+', std::string(b[j])});
  return out;
}

ContentService::ContentService(store::Database& db, const Clock& clock)
    : db_(db),
      clock_(clock),
      posts_(clock),
      terms_(clock),
      comments_(clock),
      authors_(clock),
      workflow_(db, posts_, clock) {}

Status ContentService::EnsureTenantDefaults(int64_t tenant_id) {
  return db_.Transact(
      [&](store::Connection& c) -> Status { return terms_.EnsureSpecialties(c, tenant_id); });
}

Status ContentService::CanEdit(const Actor& actor, const Post& post) {
  if (actor.system || actor.can_edit_any || actor.can_publish) return Ok();
  const bool own = actor.user_id && post.author_id && *actor.user_id == *post.author_id;
  const bool open = post.status == PostStatus::kDraft || post.status == PostStatus::kPending;
  if (actor.can_create && own && open) return Ok();
  return std::unexpected(Error(ErrorKind::kPermissionDenied, "forbidden_role",
                               "Seu papel não permite editar este conteúdo."));
}

bool ContentService::CanReadSource(const Actor& actor, const Post& post) {
  return actor.can_review || CanEdit(actor, post).has_value();
}

Result<Post> ContentService::Create(int64_t tenant_id, PostType type, const PostInput& input,
                                    const Actor& actor) {
  if (!actor.system && !actor.can_create) {
    return std::unexpected(Error(ErrorKind::kPermissionDenied, "forbidden_role",
                                 "Seu papel não permite criar conteúdo."));
  }
  PostInput in = input;
  if (!in.author_id && actor.user_id) in.author_id = actor.user_id;
  // Only those who edit anyone's content choose another author.
  if (!actor.system && in.author_id != actor.user_id && !actor.can_edit_any) {
    in.author_id = actor.user_id;
  }
  return db_.Transact([&](store::Connection& c) -> Result<Post> {
    // Attachments (uploads) take their visibility from where they are used.
    const PostStatus status =
        type == PostType::kAttachment ? PostStatus::kInherit : PostStatus::kDraft;
    HCMS_TRY(Post p,
             posts_.Create(c, tenant_id, type, in, {.actor_id = actor.user_id, .status = status}));
    if (type != PostType::kAttachment) {
      HCMS_TRY(bool flagged,
               RefreshPersonalDataSummary(c, tenant_id, p, FormatTimestamp(clock_.Now())));
      (void)flagged;
    }
    return p;
  });
}

Result<Post> ContentService::Update(int64_t tenant_id, int64_t id, const PostInput& input,
                                    const Actor& actor) {
  std::optional<TransitionRecord> moved;
  auto updated = db_.Transact([&](store::Connection& c) -> Result<Post> {
    HCMS_TRY(Post current, posts_.Get(c, tenant_id, id));
    HCMS_CHECK(CanEdit(actor, current));
    HCMS_TRY(Post p, posts_.Update(c, tenant_id, id, input, actor.user_id));
    const bool text_changed = p.title != current.title || p.content != current.content ||
                              p.excerpt != current.excerpt || p.format != current.format;
    if (text_changed && p.type != PostType::kAttachment) {
      HCMS_TRY(bool flagged,
               RefreshPersonalDataSummary(c, tenant_id, p, FormatTimestamp(clock_.Now())));
      (void)flagged;
    }
    // New text has not been through review nor the pipeline: an approved, scheduled
    // or published post goes back to review (and off the public site) until it is
    // approved, checked by a pipeline run of the new revision and published again.
    const bool reviewed = current.status == PostStatus::kApproved ||
                          current.status == PostStatus::kFuture ||
                          current.status == PostStatus::kPublish;
    if (reviewed && text_changed) {
      HCMS_CHECK(posts_.WriteStatus(c, tenant_id, id, PostStatus::kPending, {}, {}));
      HCMS_TRY(moved, workflow_.Record(c, tenant_id, id, current.status, PostStatus::kPending,
                                       current.status == PostStatus::kApproved
                                           ? "edited_after_approval"
                                           : "edited_after_publication",
                                       actor.user_id, ""));
      return posts_.Get(c, tenant_id, id);
    }
    return p;
  });
  if (updated && moved) workflow_.Notify(*moved, actor);
  return updated;
}

Result<Post> ContentService::Get(int64_t tenant_id, int64_t id) {
  return db_.Run([&](store::Connection& c) { return posts_.Get(c, tenant_id, id); });
}

Result<PostPage> ContentService::List(int64_t tenant_id, const PostQuery& query) {
  return db_.Run([&](store::Connection& c) { return posts_.List(c, tenant_id, query); });
}

Result<PostPage> ContentService::List(int64_t tenant_id, const PostQuery& query,
                                      int64_t generation) {
  const ListCounts counts{list_counts_, generation};
  return db_.Run([&](store::Connection& c) { return posts_.List(c, tenant_id, query, &counts); });
}

Result<int64_t> ContentService::Generation(int64_t tenant_id) {
  return db_.Run([&](store::Connection& c) -> Result<int64_t> {
    HCMS_TRY(auto rows, c.Query("SELECT generation FROM content_generations WHERE tenant_id = $1",
                                {tenant_id}));
    return rows.empty() ? int64_t{0} : rows[0].Int(0);
  });
}

Status ContentService::Delete(int64_t tenant_id, int64_t id, const Actor& actor, bool force) {
  auto done = db_.Transact([&](store::Connection& c) -> Status {
    HCMS_TRY(Post p, posts_.Get(c, tenant_id, id));
    HCMS_CHECK(CanEdit(actor, p));
    if (!force && p.status != PostStatus::kTrash) {
      return std::unexpected(Error(ErrorKind::kFailedPrecondition, "not_in_trash",
                                   "Mova o conteúdo para a lixeira antes de excluí-lo."));
    }
    return posts_.Delete(c, tenant_id, id);
  });
  if (done) log::Info("content_deleted", {{"tenant_id", tenant_id}, {"post_id", id}});
  return done;
}

Result<std::vector<Revision>> ContentService::Revisions(int64_t tenant_id, int64_t post_id) {
  return db_.Run([&](store::Connection& c) -> Result<std::vector<Revision>> {
    HCMS_TRY(Post p, posts_.Get(c, tenant_id, post_id));
    (void)p;
    return posts_.Revisions(c, tenant_id, post_id);
  });
}

Result<Revision> ContentService::GetRevision(int64_t tenant_id, int64_t post_id,
                                             int64_t revision_id) {
  return db_.Run(
      [&](store::Connection& c) { return posts_.GetRevision(c, tenant_id, post_id, revision_id); });
}

Result<Post> ContentService::RestoreRevision(int64_t tenant_id, int64_t post_id,
                                             int64_t revision_id, const Actor& actor) {
  HCMS_TRY(Revision r, GetRevision(tenant_id, post_id, revision_id));
  return Update(tenant_id, post_id,
                {.title = r.title, .content = r.content, .format = r.format, .excerpt = r.excerpt},
                actor);
}

Result<std::vector<MetaEntry>> ContentService::Meta(int64_t tenant_id, int64_t post_id) {
  return db_.Run([&](store::Connection& c) { return posts_.Meta(c, tenant_id, post_id); });
}

std::string ContentService::RenderedSource(const Post& post) { return RenderContent(post); }

const ContentService::CacheEntry* ContentService::Find(const Post& post) {
  auto it = cache_.find(post.id);
  if (it == cache_.end()) return nullptr;
  if (it->second.version == post.version && it->second.modified == post.modified_gmt &&
      it->second.status == post.status) {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return &it->second;
  }
  lru_.erase(it->second.lru);
  cache_.erase(it);
  return nullptr;
}

ContentService::CacheEntry ContentService::Build(const Post& post) {
  std::string source = RenderContent(post);
  std::string excerpt =
      post.excerpt.empty() ? TrimWords(HtmlToText(source), 55) : HtmlToText(post.excerpt);
  std::string html = std::move(source);
  const bool live = post.status == PostStatus::kPublish || post.status == PostStatus::kPrivate ||
                    post.status == PostStatus::kFuture;
  if (live) {
    auto stored = db_.Run([&](store::Connection& c) {
      return PostStore::MetaValueIn(c, post.tenant_id, post.id, kPublicationMetaKey);
    });
    if (!stored) {
      log::Warn("publication_package_unreadable",
                {{"post_id", post.id}, {"error", stored.error().ToLogString()}});
    } else if (*stored) {
      auto j = nlohmann::json::parse(**stored, nullptr, false);
      if (j.is_object() && j.contains("html") && j["html"].is_string()) {
        // Sanitised again with the site's own allow-list: the package comes from a
        // plugin, and what reaches a reader passes the same filter as any post.
        html = SanitizeHtml(j["html"].get<std::string>());
        // The stages check the title and the text, not a hand-written excerpt: what
        // readers see as the summary comes from the checked text too.
        excerpt = TrimWords(HtmlToText(html), 55);
      }
    }
  }
  return {post.version, post.modified_gmt, post.status, std::move(html), std::move(excerpt), {}};
}

template <typename Pick>
std::string ContentService::Cached(const Post& post, Pick pick) {
  {
    std::lock_guard lock(cache_mu_);
    if (const CacheEntry* e = Find(post)) return pick(*e);
  }
  CacheEntry built = Build(post);  // outside the lock: it may read the package
  std::lock_guard lock(cache_mu_);
  if (const CacheEntry* e = Find(post)) return pick(*e);
  lru_.push_front(post.id);
  built.lru = lru_.begin();
  auto& e = cache_[post.id];
  e = std::move(built);
  std::string out = pick(e);
  while (cache_.size() > kCacheEntries) {
    cache_.erase(lru_.back());
    lru_.pop_back();
  }
  return out;
}

std::string ContentService::Rendered(const Post& post) {
  return Cached(post, [](const CacheEntry& e) { return e.html; });
}

std::string ContentService::Excerpt(const Post& post) {
  return Cached(post, [](const CacheEntry& e) { return e.excerpt; });
}

Result<std::unordered_map<int64_t, Author>> ContentService::AuthorsOf(
    int64_t tenant_id, const std::vector<Post>& posts) {
  std::unordered_map<int64_t, Author> out;
  std::vector<int64_t> ids;
  for (const auto& p : posts) {
    if (p.author_id && std::find(ids.begin(), ids.end(), *p.author_id) == ids.end())
      ids.push_back(*p.author_id);
  }
  if (ids.empty()) return out;
  HCMS_TRY(auto authors,
           db_.Run([&](store::Connection& c) { return authors_.GetMany(c, tenant_id, ids); }));
  for (auto& a : authors) {
    const int64_t id = a.id;
    out.emplace(id, std::move(a));
  }
  return out;
}

}  // namespace hcms::content
