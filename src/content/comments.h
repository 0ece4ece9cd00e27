// Comments with moderation: new comments wait ("hold") until a moderator
// approves them; only approved comments are public. Content is sanitised HTML.
// Commenters' e-mail addresses are personal data: stored for moderation, never
// shown publicly, never logged. Thread-safe (stateless).

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "content/model.h"
#include "core/clock.h"
#include "core/error.h"
#include "store/database.h"

namespace hcms::content {

struct CommentQuery {
  std::vector<int64_t> posts;
  std::vector<CommentStatus> statuses = {CommentStatus::kApproved};
  std::optional<int64_t> parent;
  bool only_public_posts = false;  // on published, public posts and pages only
  bool ascending = false;
  int64_t page = 1;
  int64_t per_page = 10;
};

struct CommentPage {
  std::vector<Comment> comments;
  int64_t total = 0;
};

class CommentStore {
 public:
  explicit CommentStore(const Clock& clock) : clock_(clock) {}

  // kInvalidArgument "validation_failed"; kNotFound "post_not_found";
  // kFailedPrecondition "comments_closed".
  Result<Comment> Create(store::Connection& c, int64_t tenant_id, Comment comment,
                         std::optional<int64_t> id = std::nullopt, bool check_open = true);
  Result<Comment> Get(store::Connection& c, int64_t tenant_id, int64_t id);
  Result<Comment> Moderate(store::Connection& c, int64_t tenant_id, int64_t id,
                           CommentStatus status);
  Result<CommentPage> List(store::Connection& c, int64_t tenant_id, const CommentQuery& q);
  Status Delete(store::Connection& c, int64_t tenant_id, int64_t id);

 private:
  const Clock& clock_;
};

struct AuthorInput {
  std::string slug;
  std::string bio;
  std::optional<std::string> crm;
  std::optional<std::string> crm_uf;
};

// Public author profiles over accounts' users.
class AuthorStore {
 public:
  explicit AuthorStore(const Clock& clock) : clock_(clock) {}

  // Creates or replaces the profile of an existing user of the tenant.
  Result<Author> Upsert(store::Connection& c, int64_t tenant_id, int64_t user_id,
                        const AuthorInput& in);
  // kNotFound "author_not_found". Users without a profile get one derived from
  // their id ("autor-12").
  Result<Author> Get(store::Connection& c, int64_t tenant_id, int64_t user_id);
  // The authors among `user_ids` (one query; ids not of the tenant are left out).
  Result<std::vector<Author>> GetMany(store::Connection& c, int64_t tenant_id,
                                      const std::vector<int64_t>& user_ids);
  Result<std::optional<Author>> FindBySlug(store::Connection& c, int64_t tenant_id,
                                           std::string_view slug);
  Result<std::vector<Author>> List(store::Connection& c, int64_t tenant_id);

 private:
  const Clock& clock_;
};

}  // namespace hcms::content
