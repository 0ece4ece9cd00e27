// The editorial workflow: one state machine, in one place.
//
//            submit            approve             publish
//   draft ----------> pending ---------> approved ---------> publish <-> private
//     ^                  |  reject          |  schedule          |
//     +------------------+ (comment)        +----------> future -+ (job at its date)
//   any --trash--> trash --restore--> draft;   publish/private --unpublish--> draft
//
// Rules (docs/content.md); the grants come from the policy engine (by default:
// publish = doctor, editor and administrators; review = reviewer, doctor, editor
// and administrators):
//  - submit/trash/restore: the post's author, or whoever edits or publishes any post;
//  - approve/reject: the review grant, and not the author (four eyes); reject
//    needs a comment;
//  - publish/schedule/unschedule/make_private/unpublish: the publish grant AND
//    trust score >= 85, then every PublishGate (personal data, pipeline run, ...
//    added by other modules) must pass. Scheduled posts pass the gates again when
//    the job publishes them.
//  - editing an approved post sends it back to pending (content/service.h).
// Every transition is written to post_transitions in the same transaction and
// reported to the observers (the audit trail subscribes).

#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accounts/users.h"
#include "content/model.h"
#include "content/posts.h"
#include "core/clock.h"
#include "core/error.h"
#include "store/database.h"

namespace hcms::content {

inline constexpr int kPublishTrustScore = 85;

enum class Action {
  kSubmit,
  kApprove,
  kReject,
  kPublish,
  kSchedule,
  kUnschedule,
  kMakePrivate,
  kUnpublish,
  kTrash,
  kRestore,
  kPublishScheduled,  // the scheduler only
};
std::string_view ActionName(Action a);
std::optional<Action> ParseAction(std::string_view s);

// Who asks. The API layer builds it from the authenticated principal, the
// request's trust score and the policy engine's grants (PolicyEngine::Permits);
// the CLI and jobs use System().
struct Actor {
  std::optional<int64_t> user_id;
  accounts::Role role = accounts::Role::kReader;
  int trust_score = 0;
  bool system = false;
  bool can_create = false;    // policy: create_content (own drafts)
  bool can_edit_any = false;  // policy: edit_content (anyone's content, taxonomy)
  bool can_review = false;    // policy: review_content
  bool can_publish = false;   // policy: publish_content (and trust >= 85 here)

  static Actor System() {
    return {.role = accounts::Role::kSuperAdmin,
            .trust_score = 100,
            .system = true,
            .can_create = true,
            .can_edit_any = true,
            .can_review = true,
            .can_publish = true};
  }
  // The built-in grants of `role` (policy::DefaultGrants); the API layer
  // overrides them with the configured policy.
  static Actor ForRole(std::optional<int64_t> user_id, accounts::Role role, int trust_score);

  // PostQuery::public_or_author for this actor's lists: a reader sees public
  // content only (0), a contributor their own posts as well; other roles see all of
  // the practice's content (unset). The same rule as the API's per-post check.
  std::optional<int64_t> ListsLimitedTo() const {
    if (system) return std::nullopt;
    if (role == accounts::Role::kReader) return int64_t{0};
    if (role == accounts::Role::kContributor) return user_id.value_or(0);
    return std::nullopt;
  }
};

struct TransitionRecord {
  int64_t id = 0;
  int64_t tenant_id = 0;
  int64_t post_id = 0;
  PostStatus from = PostStatus::kDraft;
  PostStatus to = PostStatus::kDraft;
  Action action = Action::kSubmit;
  std::optional<int64_t> actor_id;
  std::string comment;
  std::string created_at;
};

// A check that must pass before anything is published (hook for the LGPD
// detector, #5, and the pipeline, #6). Return kFailedPrecondition with a stable
// code to refuse. Called inside the transition's transaction.
class PublishGate {
 public:
  virtual ~PublishGate() = default;
  virtual std::string_view name() const = 0;
  virtual Status Check(store::Connection& c, const Post& post, const Actor& actor) = 0;
};

// Told after a transition commits (the audit trail). Must not throw.
class WorkflowObserver {
 public:
  virtual ~WorkflowObserver() = default;
  virtual void OnTransition(const TransitionRecord& record, const Actor& actor) = 0;
};

struct TransitionOptions {
  std::string comment;
  std::optional<std::string> date_gmt;  // schedule: when (RFC 3339, in the future)
};

class Workflow {
 public:
  Workflow(store::Database& db, PostStore& posts, const Clock& clock)
      : db_(db), posts_(posts), clock_(clock) {}

  // Not thread-safe: configure before serving.
  void AddPublishGate(std::shared_ptr<PublishGate> gate) { gates_.push_back(std::move(gate)); }
  void AddObserver(WorkflowObserver* observer) { observers_.push_back(observer); }

  // The status `action` leads to from `from`, or nullopt when not allowed.
  static std::optional<PostStatus> Target(PostStatus from, Action action);

  // Applies one transition. Errors: kNotFound "post_not_found";
  // kFailedPrecondition "invalid_transition"; kPermissionDenied "forbidden_role",
  // "insufficient_trust", "self_review"; kInvalidArgument "comment_required",
  // "invalid_schedule"; a gate's own error.
  Result<Post> Apply(int64_t tenant_id, int64_t post_id, Action action, const Actor& actor,
                     const TransitionOptions& options = {});
  // Same, inside the caller's transaction; observers are not told (the caller
  // calls Notify after committing).
  Result<std::pair<Post, TransitionRecord>> ApplyIn(store::Connection& c, int64_t tenant_id,
                                                    int64_t post_id, Action action,
                                                    const Actor& actor,
                                                    const TransitionOptions& options);
  void Notify(const TransitionRecord& record, const Actor& actor);

  // Records a status change made outside the machine (import, edit of an
  // approved post).
  Result<TransitionRecord> Record(store::Connection& c, int64_t tenant_id, int64_t post_id,
                                  PostStatus from, PostStatus to, std::string_view action,
                                  std::optional<int64_t> actor_id, std::string_view comment);

  // Publishes every scheduled post whose date has come; returns how many. A post
  // whose gates refuse stays scheduled (logged with its id and the gate's code).
  Result<int> PublishDue();

  Result<std::vector<TransitionRecord>> History(int64_t tenant_id, int64_t post_id);

  // Permission part of the rules (no database).
  static Status Authorize(Action action, const Actor& actor, const Post& post);

 private:
  store::Database& db_;
  PostStore& posts_;
  const Clock& clock_;
  std::vector<std::shared_ptr<PublishGate>> gates_;
  std::vector<WorkflowObserver*> observers_;
};

}  // namespace hcms::content
