#include "content/workflow.h"

#include <array>

#include "core/log.h"
#include "policy/permissions.h"

namespace hcms::content {

namespace {

constexpr std::array<std::string_view, 11> kActionNames = {
    "submit",       "approve",   "reject", "publish", "schedule",         "unschedule",
    "make_private", "unpublish", "trash",  "restore", "publish_scheduled"};

constexpr std::string_view kInsertTransition =
    "INSERT INTO post_transitions (tenant_id, post_id, from_status, to_status, action, actor_id, "
    "comment, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
constexpr std::string_view kHistory =
    "SELECT id, tenant_id, post_id, from_status, to_status, action, actor_id, comment, created_at "
    "FROM post_transitions WHERE tenant_id = $1 AND post_id = $2 ORDER BY id";

bool IsOwner(const Actor& a, const Post& p) {
  return a.user_id && p.author_id && *a.user_id == *p.author_id;
}

Error Denied(std::string code, std::string detail) {
  return Error(ErrorKind::kPermissionDenied, std::move(code), std::move(detail));
}

}  // namespace

std::string_view ActionName(Action a) { return kActionNames[static_cast<size_t>(a)]; }

std::optional<Action> ParseAction(std::string_view s) {
  for (size_t i = 0; i < kActionNames.size(); ++i) {
    if (kActionNames[i] == s) return static_cast<Action>(i);
  }
  return std::nullopt;
}

std::optional<PostStatus> Workflow::Target(PostStatus from, Action action) {
  using S = PostStatus;
  switch (action) {
    case Action::kSubmit:
      if (from == S::kDraft) return S::kPending;
      break;
    case Action::kApprove:
      if (from == S::kPending) return S::kApproved;
      break;
    case Action::kReject:
      if (from == S::kPending || from == S::kApproved) return S::kDraft;
      break;
    case Action::kPublish:
      if (from == S::kApproved || from == S::kPrivate) return S::kPublish;
      break;
    case Action::kSchedule:
      if (from == S::kApproved) return S::kFuture;
      break;
    case Action::kUnschedule:
      if (from == S::kFuture) return S::kApproved;
      break;
    case Action::kMakePrivate:
      if (from == S::kPublish || from == S::kApproved) return S::kPrivate;
      break;
    case Action::kUnpublish:
      if (from == S::kPublish || from == S::kPrivate) return S::kDraft;
      break;
    case Action::kTrash:
      if (from != S::kTrash && from != S::kInherit) return S::kTrash;
      break;
    case Action::kRestore:
      if (from == S::kTrash) return S::kDraft;
      break;
    case Action::kPublishScheduled:
      if (from == S::kFuture) return S::kPublish;
      break;
  }
  return std::nullopt;
}

Actor Actor::ForRole(std::optional<int64_t> user_id, accounts::Role role, int trust_score) {
  using policy::Permission;
  const auto grants = policy::DefaultGrants(role);
  auto has = [&](Permission p) { return (grants & policy::Bit(p)) != 0; };
  return {.user_id = user_id,
          .role = role,
          .trust_score = trust_score,
          .can_create = has(Permission::kCreateContent),
          .can_edit_any = has(Permission::kEditContent),
          .can_review = has(Permission::kReviewContent),
          .can_publish = has(Permission::kPublishContent)};
}

Status Workflow::Authorize(Action action, const Actor& actor, const Post& post) {
  if (actor.system) return Ok();
  switch (action) {
    case Action::kSubmit:
    case Action::kTrash:
    case Action::kRestore:
      if (IsOwner(actor, post) && actor.can_create) return Ok();
      if (actor.can_edit_any || actor.can_publish) return Ok();
      return std::unexpected(Denied("forbidden_role", "Seu papel não permite esta ação."));
    case Action::kApprove:
    case Action::kReject:
      if (!actor.can_review)
        return std::unexpected(Denied("forbidden_role", "Só revisores aprovam ou rejeitam."));
      if (IsOwner(actor, post))
        return std::unexpected(
            Denied("self_review", "Quem escreveu o conteúdo não pode revisá-lo."));
      return Ok();
    case Action::kPublish:
    case Action::kSchedule:
    case Action::kUnschedule:
    case Action::kMakePrivate:
    case Action::kUnpublish:
      if (!actor.can_publish)
        return std::unexpected(
            Denied("forbidden_role", "Só médicos e editores publicam conteúdo."));
      if (actor.trust_score < kPublishTrustScore)
        return std::unexpected(Denied(
            "insufficient_trust", "Nível de confiança insuficiente para publicar (mínimo 85)."));
      return Ok();
    case Action::kPublishScheduled:
      return std::unexpected(Denied("forbidden_role", "Ação reservada ao agendador."));
  }
  return std::unexpected(Denied("forbidden_role", "Ação não permitida."));
}

Result<TransitionRecord> Workflow::Record(store::Connection& c, int64_t tenant_id, int64_t post_id,
                                          PostStatus from, PostStatus to, std::string_view action,
                                          std::optional<int64_t> actor_id,
                                          std::string_view comment) {
  TransitionRecord rec{.tenant_id = tenant_id,
                       .post_id = post_id,
                       .from = from,
                       .to = to,
                       .action = ParseAction(action).value_or(Action::kSubmit),
                       .actor_id = actor_id,
                       .comment = std::string(comment),
                       .created_at = FormatTimestamp(clock_.Now())};
  HCMS_TRY(auto rows,
           c.Query(kInsertTransition, {tenant_id, post_id, PostStatusName(from), PostStatusName(to),
                                       action, actor_id, comment, rec.created_at}));
  rec.id = rows[0].Int(0);
  return rec;
}

Result<std::pair<Post, TransitionRecord>> Workflow::ApplyIn(store::Connection& c, int64_t tenant_id,
                                                            int64_t post_id, Action action,
                                                            const Actor& actor,
                                                            const TransitionOptions& options) {
  HCMS_TRY(Post post, posts_.Get(c, tenant_id, post_id));
  const auto target = Target(post.status, action);
  if (!target) {
    return std::unexpected(
        Error(ErrorKind::kFailedPrecondition, "invalid_transition",
              "Esta mudança de estado não é permitida a partir do estado atual."));
  }
  HCMS_CHECK(Authorize(action, actor, post));
  if (action == Action::kReject && options.comment.empty()) {
    return InvalidArgument("comment_required", "Explique o motivo da rejeição.");
  }
  if (options.comment.size() > 10000) return InvalidArgument("comment_too_long");
  std::optional<std::string> date;
  const std::string now = FormatTimestamp(clock_.Now());
  if (action == Action::kSchedule) {
    auto when = options.date_gmt ? ParseTimestamp(*options.date_gmt)
                                 : Result<TimePoint>(std::unexpected(
                                       Error(ErrorKind::kInvalidArgument, "invalid_schedule")));
    if (!when || *when <= clock_.Now()) {
      return InvalidArgument("invalid_schedule", "Informe uma data futura para o agendamento.");
    }
    date = FormatTimestamp(*when);
  } else if (action == Action::kPublish) {
    date = now;  // published now
  } else if (action == Action::kPublishScheduled && post.date_gmt > now) {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition, "not_due"));
  }
  // The one place where publishing is decided: every gate, every time.
  if (*target == PostStatus::kPublish || *target == PostStatus::kFuture) {
    for (const auto& gate : gates_) HCMS_CHECK(gate->Check(c, post, actor));
  }
  std::optional<PostStatus> trashed;
  if (*target == PostStatus::kTrash) trashed = post.status;
  HCMS_CHECK(posts_.WriteStatus(c, tenant_id, post_id, *target, trashed, date));
  HCMS_TRY(auto rec, Record(c, tenant_id, post_id, post.status, *target, ActionName(action),
                            actor.user_id, options.comment));
  rec.action = action;
  HCMS_TRY(Post updated, posts_.Get(c, tenant_id, post_id));
  return std::make_pair(std::move(updated), std::move(rec));
}

void Workflow::Notify(const TransitionRecord& record, const Actor& actor) {
  for (auto* o : observers_) o->OnTransition(record, actor);
}

Result<Post> Workflow::Apply(int64_t tenant_id, int64_t post_id, Action action, const Actor& actor,
                             const TransitionOptions& options) {
  HCMS_TRY(auto done, db_.Transact([&](store::Connection& c) {
    return ApplyIn(c, tenant_id, post_id, action, actor, options);
  }));
  Notify(done.second, actor);
  log::Info("content_transition", {{"tenant_id", tenant_id},
                                   {"post_id", post_id},
                                   {"action", ActionName(action)},
                                   {"to", PostStatusName(done.first.status)}});
  return std::move(done.first);
}

Result<int> Workflow::PublishDue() {
  HCMS_TRY(auto due, db_.Run([&](store::Connection& c) {
    return posts_.DueScheduled(c, FormatTimestamp(clock_.Now()));
  }));
  int published = 0;
  for (const auto& [tenant_id, post_id] : due) {
    auto r = Apply(tenant_id, post_id, Action::kPublishScheduled, Actor::System());
    if (r) {
      ++published;
    } else {
      log::Warn("scheduled_publish_refused",
                {{"tenant_id", tenant_id}, {"post_id", post_id}, {"code", r.error().code()}});
    }
  }
  return published;
}

Result<std::vector<TransitionRecord>> Workflow::History(int64_t tenant_id, int64_t post_id) {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return c.Query(kHistory, {tenant_id, post_id});
  }));
  std::vector<TransitionRecord> out;
  for (const auto& r : rows) {
    TransitionRecord t;
    t.id = r.Int(0);
    t.tenant_id = r.Int(1);
    t.post_id = r.Int(2);
    t.from = ParsePostStatus(r.Text(3)).value_or(PostStatus::kDraft);
    t.to = ParsePostStatus(r.Text(4)).value_or(PostStatus::kDraft);
    t.action = ParseAction(r.Text(5)).value_or(Action::kSubmit);
    if (!r.IsNull(6)) t.actor_id = r.Int(6);
    t.comment = r.Text(7);
    t.created_at = r.Text(8);
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace hcms::content
