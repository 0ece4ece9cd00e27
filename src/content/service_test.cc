// Storage contract: every case runs on SQLite and on a real PostgreSQL server.
#include "content/service.h"

#include <set>

#include <gtest/gtest.h>

#include "accounts/users.h"
#include "content/personal_data.h"
#include "tenants/tenants.h"
#include "tests/support/db_fixture.h"

namespace hcms::content {
namespace {

using accounts::Role;

class ContentTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    tenants::TenantRepository tenants(db(), clock());
    tenant_ = tenants.Create({.slug = "clinica-a", .name = "Clínica A"})->id;
    other_tenant_ = tenants.Create({.slug = "clinica-b", .name = "Clínica B"})->id;
    accounts::UserRepository users(db(), clock());
    auto make = [&](const char* email, Role role) {
      auto u = users.Create(tenant_, {.email = email, .display_name = email, .role = role});
      EXPECT_TRUE(u.has_value());
      return u->id;
    };
    writer_ = make("autora@a.test", Role::kContributor);
    reviewer_ = make("revisor@a.test", Role::kReviewer);
    doctor_ = make("medica@a.test", Role::kDoctor);
    service_ = std::make_unique<ContentService>(db(), clock());
  }

  Actor As(int64_t user, Role role, int trust = 90) { return Actor::ForRole(user, role, trust); }
  Actor Writer() { return As(writer_, Role::kContributor, 60); }
  Actor Reviewer() { return As(reviewer_, Role::kReviewer, 70); }
  Actor Doctor(int trust = 90) { return As(doctor_, Role::kDoctor, trust); }

  Post NewPost(std::string title, std::string content = "<p>Texto</p>") {
    auto p = service_->Create(tenant_, PostType::kPost,
                              {.title = std::move(title), .content = std::move(content)}, Writer());
    EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().ToLogString());
    return *p;
  }

  int64_t tenant_ = 0, other_tenant_ = 0;
  int64_t writer_ = 0, reviewer_ = 0, doctor_ = 0;
  std::unique_ptr<ContentService> service_;
};

TEST_P(ContentTest, CreatesSanitisedDraftsWithRevisionsAndUniqueSlugs) {
  Post a = NewPost("Saúde do Coração", "<p onclick=\"x()\">Olá</p><script>alert(1)</script>");
  EXPECT_EQ(a.status, PostStatus::kDraft);
  EXPECT_EQ(a.slug, "saude-do-coracao");
  EXPECT_EQ(a.content, "<p>Olá</p>");
  EXPECT_EQ(a.author_id, writer_);
  Post b = NewPost("Saúde do coração");
  EXPECT_EQ(b.slug, "saude-do-coracao-2");
  auto revs = service_->Revisions(tenant_, a.id);
  ASSERT_TRUE(revs.has_value());
  EXPECT_EQ(revs->size(), 1u);

  auto u =
      service_->Update(tenant_, a.id, {.content = "<p>Novo</p>", .expected_version = 1}, Writer());
  ASSERT_TRUE(u.has_value()) << u.error().ToLogString();
  EXPECT_EQ(u->version, 2);
  EXPECT_EQ(service_->Revisions(tenant_, a.id)->size(), 2u);
  // A stale edit is refused.
  auto stale =
      service_->Update(tenant_, a.id, {.content = "<p>x</p>", .expected_version = 1}, Writer());
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code(), "stale_version");
  // Restoring the first revision is a new save.
  auto first = service_->Revisions(tenant_, a.id)->back();
  auto restored = service_->RestoreRevision(tenant_, a.id, first.id, Writer());
  ASSERT_TRUE(restored.has_value());
  EXPECT_EQ(restored->content, "<p>Olá</p>");
  EXPECT_EQ(service_->Revisions(tenant_, a.id)->size(), 3u);
  const auto diff = DiffLines("a\nb\nc", "a\nc\nd");
  ASSERT_EQ(diff.size(), 4u);
  EXPECT_EQ(diff[1].op, '-');
  EXPECT_EQ(diff[3].op, '+');
}

TEST_P(ContentTest, TenantsAreIsolated) {
  Post a = NewPost("Privado da clínica A");
  auto other = service_->Get(other_tenant_, a.id);
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code(), "post_not_found");
  PostQuery q;
  q.statuses = {PostStatus::kDraft};
  EXPECT_EQ(service_->List(other_tenant_, q)->total, 0);
  EXPECT_EQ(service_->List(tenant_, q)->total, 1);
  // Same slug in another tenant is fine.
  auto b = service_->Create(other_tenant_, PostType::kPost, {.title = "Privado da clínica A"},
                            Actor::System());
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->slug, a.slug);
}

TEST_P(ContentTest, WorkflowFollowsTheStateMachineAndTheRules) {
  Post p = NewPost("Hipertensão na gestação");
  auto& wf = service_->workflow();
  // Publishing straight from draft is not a transition.
  EXPECT_EQ(wf.Apply(tenant_, p.id, Action::kPublish, Doctor()).error().code(),
            "invalid_transition");
  ASSERT_TRUE(wf.Apply(tenant_, p.id, Action::kSubmit, Writer()).has_value());
  // The author cannot review; a reader role cannot either; reject needs a comment.
  EXPECT_EQ(wf.Apply(tenant_, p.id, Action::kApprove, As(writer_, Role::kEditor)).error().code(),
            "self_review");
  EXPECT_EQ(
      wf.Apply(tenant_, p.id, Action::kApprove, As(writer_, Role::kContributor)).error().code(),
      "forbidden_role");
  EXPECT_EQ(wf.Apply(tenant_, p.id, Action::kReject, Reviewer()).error().code(),
            "comment_required");
  auto rejected = wf.Apply(tenant_, p.id, Action::kReject, Reviewer(), {.comment = "Cite fontes."});
  ASSERT_TRUE(rejected.has_value());
  EXPECT_EQ(rejected->status, PostStatus::kDraft);
  ASSERT_TRUE(wf.Apply(tenant_, p.id, Action::kSubmit, Writer()).has_value());
  ASSERT_TRUE(wf.Apply(tenant_, p.id, Action::kApprove, Reviewer()).has_value());
  // Publishing needs the doctor/editor role and trust >= 85.
  EXPECT_EQ(wf.Apply(tenant_, p.id, Action::kPublish, Reviewer()).error().code(), "forbidden_role");
  EXPECT_EQ(wf.Apply(tenant_, p.id, Action::kPublish, Doctor(84)).error().code(),
            "insufficient_trust");
  auto published = wf.Apply(tenant_, p.id, Action::kPublish, Doctor(85));
  ASSERT_TRUE(published.has_value());
  EXPECT_EQ(published->status, PostStatus::kPublish);
  // Trash and restore (to draft).
  auto trashed = wf.Apply(tenant_, p.id, Action::kTrash, Doctor());
  ASSERT_TRUE(trashed.has_value());
  EXPECT_EQ(trashed->trashed_status, PostStatus::kPublish);
  auto restored = wf.Apply(tenant_, p.id, Action::kRestore, Doctor());
  ASSERT_TRUE(restored.has_value());
  EXPECT_EQ(restored->status, PostStatus::kDraft);
  auto history = wf.History(tenant_, p.id);
  ASSERT_TRUE(history.has_value());
  ASSERT_EQ(history->size(), 7u);
  EXPECT_EQ((*history)[1].comment, "Cite fontes.");
  EXPECT_EQ((*history)[1].actor_id, reviewer_);
}

TEST_P(ContentTest, EditingAnApprovedPostSendsItBackToReview) {
  Post p = NewPost("Vacinas");
  auto& wf = service_->workflow();
  ASSERT_TRUE(wf.Apply(tenant_, p.id, Action::kSubmit, Writer()).has_value());
  ASSERT_TRUE(wf.Apply(tenant_, p.id, Action::kApprove, Reviewer()).has_value());
  auto edited = service_->Update(tenant_, p.id, {.content = "<p>Mudou</p>"}, Doctor());
  ASSERT_TRUE(edited.has_value());
  EXPECT_EQ(edited->status, PostStatus::kPending);
  // A contributor cannot edit someone's published post.
  Post q = NewPost("Outro");
  ASSERT_TRUE(wf.Apply(tenant_, q.id, Action::kSubmit, Writer()).has_value());
  ASSERT_TRUE(wf.Apply(tenant_, q.id, Action::kApprove, Reviewer()).has_value());
  ASSERT_TRUE(wf.Apply(tenant_, q.id, Action::kPublish, Doctor()).has_value());
  EXPECT_EQ(service_->Update(tenant_, q.id, {.title = "x"}, Writer()).error().code(),
            "forbidden_role");
}

class RefuseGate final : public PublishGate {
 public:
  std::string_view name() const override { return "test"; }
  Status Check(store::Connection&, const Post&, const Actor&) override {
    if (refuse) {
      return std::unexpected(Error(ErrorKind::kFailedPrecondition, "unhandled_personal_data"));
    }
    return Ok();
  }
  bool refuse = true;
};

TEST_P(ContentTest, ScheduledPostsArePublishedByTheJobAndGatesAreChecked) {
  auto gate = std::make_shared<RefuseGate>();
  service_->workflow().AddPublishGate(gate);
  Post p = NewPost("Agendado");
  auto& wf = service_->workflow();
  ASSERT_TRUE(wf.Apply(tenant_, p.id, Action::kSubmit, Writer()).has_value());
  ASSERT_TRUE(wf.Apply(tenant_, p.id, Action::kApprove, Reviewer()).has_value());
  EXPECT_EQ(wf.Apply(tenant_, p.id, Action::kPublish, Doctor()).error().code(),
            "unhandled_personal_data");
  gate->refuse = false;
  EXPECT_EQ(wf.Apply(tenant_, p.id, Action::kSchedule, Doctor()).error().code(),
            "invalid_schedule");
  const std::string when = FormatTimestamp(clock().Now() + std::chrono::hours(2));
  auto scheduled = wf.Apply(tenant_, p.id, Action::kSchedule, Doctor(), {.date_gmt = when});
  ASSERT_TRUE(scheduled.has_value());
  EXPECT_EQ(scheduled->status, PostStatus::kFuture);
  EXPECT_EQ(*wf.PublishDue(), 0);
  clock().Advance(std::chrono::hours(3));
  gate->refuse = true;  // the gates run again at publication time
  EXPECT_EQ(*wf.PublishDue(), 0);
  gate->refuse = false;
  EXPECT_EQ(*wf.PublishDue(), 1);
  EXPECT_EQ(service_->Get(tenant_, p.id)->status, PostStatus::kPublish);
}

// What the publish gate relies on (api/publication.h): a published post renders its
// stored package, and new text takes it back to review and off the package.
TEST_P(ContentTest, PublishedPostsRenderTheirPackageAndEditsGoBackToReview) {
  Post p = NewPost("Pressão", "<p>Caminhar ajuda. Texto original do autor.</p>");
  auto& wf = service_->workflow();
  ASSERT_TRUE(wf.Apply(tenant_, p.id, Action::kSubmit, Writer()).has_value());
  ASSERT_TRUE(wf.Apply(tenant_, p.id, Action::kApprove, Reviewer()).has_value());
  // Rendered once as a draft (cached), then published with a package.
  EXPECT_EQ(service_->Rendered(*service_->Get(tenant_, p.id)),
            "<p>Caminhar ajuda. Texto original do autor.</p>");
  ASSERT_TRUE(db().Transact([&](store::Connection& c) {
    return PostStore::SetMetaIn(
        c, tenant_, p.id, kPublicationMetaKey,
        R"({"run_id":"r1","html":"<p>Caminhar ajuda.</p><p class=\"hcms-notice\">Aviso obrigatório.</p><script>x()</script>"})");
  }));
  Post live = *wf.Apply(tenant_, p.id, Action::kPublish, Doctor());
  const std::string html = service_->Rendered(live);
  EXPECT_NE(html.find("Aviso obrigatório."), std::string::npos) << html;
  EXPECT_EQ(html.find("<script>"), std::string::npos) << html;  // sanitised again
  EXPECT_NE(service_->Excerpt(live).find("Aviso obrigatório."), std::string::npos);

  // Metadata-only edits keep it published; new text sends it back to review.
  EXPECT_EQ(service_->Update(tenant_, p.id, {.sticky = true}, Doctor())->status,
            PostStatus::kPublish);
  Post edited = *service_->Update(tenant_, p.id, {.content = "<p>Novo texto.</p>"}, Doctor());
  EXPECT_EQ(edited.status, PostStatus::kPending);
  EXPECT_EQ(service_->Rendered(edited), "<p>Novo texto.</p>");
  auto history = *wf.History(tenant_, p.id);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().from, PostStatus::kPublish);
  EXPECT_EQ(history.back().to, PostStatus::kPending);
}

TEST_P(ContentTest, SavedTextKeepsAPersonalDataSummaryWithoutValues) {
  auto summary = [&](int64_t id) {
    return *db().Run([&](store::Connection& c) {
      return PostStore::MetaValueIn(c, tenant_, id, kPersonalDataMetaKey);
    });
  };
  Post p = NewPost("Caso", "<p>Paciente com CPF 529.982.247-25.</p>");
  auto found = summary(p.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_NE(found->find("\"cpf\":1"), std::string::npos) << *found;
  EXPECT_EQ(found->find("529"), std::string::npos) << *found;
  ASSERT_TRUE(service_->Update(tenant_, p.id, {.content = "<p>Paciente anonimizado.</p>"}, Writer())
                  .has_value());
  EXPECT_FALSE(summary(p.id).has_value());
}

TEST_P(ContentTest, SearchFoldsAccentsAndRanks) {
  auto publish = [&](const std::string& title, const std::string& body) {
    auto p = service_->Create(tenant_, PostType::kPost, {.title = title, .content = body},
                              Actor::System());
    ASSERT_TRUE(p.has_value());
    ASSERT_TRUE(db().Run([&](store::Connection& c) {
      return service_->posts().WriteStatus(c, tenant_, p->id, PostStatus::kPublish, {}, {});
    }));
  };
  publish("Coração saudável", "<p>Exercícios para o coração.</p>");
  publish("Pressão alta", "<p>Hipertensão e o <b>coração</b>; café com moderação.</p>");
  publish("Dermatite", "<p>Pele sensível.</p>");
  PostQuery q;
  q.search = "coracao";
  q.order_by = PostOrder::kRelevance;
  auto r = service_->List(tenant_, q);
  ASSERT_TRUE(r.has_value()) << r.error().ToLogString();
  ASSERT_EQ(r->total, 2);
  EXPECT_EQ(r->posts[0].title, "Coração saudável");  // title matches weigh more
  q.search = "CAFÉ";
  EXPECT_EQ(service_->List(tenant_, q)->total, 1);
  q.search = "pele sensível";
  EXPECT_EQ(service_->List(tenant_, q)->total, 1);
  q.search = "\"; DROP TABLE posts; --";
  auto weird = service_->List(tenant_, q);
  ASSERT_TRUE(weird.has_value()) << weird.error().ToLogString();
  EXPECT_EQ(weird->total, 0);
  EXPECT_EQ(service_->List(other_tenant_, {.search = "coracao"})->total, 0);
}

// The first pages carry LIMIT/OFFSET as literals, deeper ones as parameters
// (PostStore::List): walking every page gives each post once, in order.
TEST_P(ContentTest, EveryPageNearOrDeepListsItsOwnPosts) {
  std::vector<int64_t> made;
  for (int i = 0; i < 9; ++i) {
    clock().Advance(std::chrono::seconds(1));
    made.push_back(NewPost("Post " + std::to_string(i)).id);
  }
  std::reverse(made.begin(), made.end());  // newest first
  PostQuery q{.statuses = {PostStatus::kDraft}, .per_page = 1};
  std::vector<int64_t> seen;
  for (q.page = 1; q.page <= 10; ++q.page) {  // page 5 is the last literal one
    auto r = service_->List(tenant_, q);
    ASSERT_TRUE(r.has_value()) << r.error().ToLogString();
    EXPECT_EQ(r->total, 9);
    for (const auto& p : r->posts) seen.push_back(p.id);
  }
  EXPECT_EQ(seen, made);
  q.per_page = 2;
  q.page = 5;  // offset 8, the last literal page: one post left
  ASSERT_EQ(service_->List(tenant_, q)->posts.size(), 1u);
}

TEST_P(ContentTest, OrdersNoIndexGivesKeepTheirOrderAcrossPages) {
  // Title, slug and relevance orders find the page's ids first and read the rows
  // after (PostStore::List): the page must keep the order and carry whole posts.
  for (const char* title : {"Bronquite", "Asma e alergia", "Dengue", "Catapora", "Enxaqueca"}) {
    auto p = service_->Create(
        tenant_, PostType::kPost,
        {.title = title, .content = std::string("<p>Saúde: ") + title + " e prevenção.</p>"},
        Actor::System());
    ASSERT_TRUE(p.has_value());
  }
  const std::vector<PostStatus> drafts = {PostStatus::kDraft};
  PostQuery q{.statuses = drafts, .order_by = PostOrder::kTitle, .ascending = true, .per_page = 2};
  std::vector<std::string> titles;
  for (q.page = 1; q.page <= 3; ++q.page) {
    auto r = service_->List(tenant_, q);
    ASSERT_TRUE(r.has_value()) << r.error().ToLogString();
    EXPECT_EQ(r->total, 5);
    for (const auto& p : r->posts) {
      titles.push_back(p.title);
      EXPECT_THAT(p.content, ::testing::HasSubstr(p.title));  // the whole row came back
    }
  }
  EXPECT_EQ(titles, (std::vector<std::string>{"Asma e alergia", "Bronquite", "Catapora", "Dengue",
                                              "Enxaqueca"}));
  q = {.statuses = drafts,
       .order_by = PostOrder::kTitle,
       .ascending = false,
       .page = 2,
       .per_page = 2};
  auto desc = service_->List(tenant_, q);
  ASSERT_TRUE(desc.has_value());
  ASSERT_EQ(desc->posts.size(), 2u);
  EXPECT_EQ(desc->posts[0].title, "Catapora");
  EXPECT_EQ(desc->posts[1].title, "Bronquite");
  q = {.statuses = drafts,
       .search = "prevencao",
       .order_by = PostOrder::kRelevance,
       .page = 3,
       .per_page = 2};
  auto last = service_->List(tenant_, q);
  ASSERT_TRUE(last.has_value()) << last.error().ToLogString();
  EXPECT_EQ(last->total, 5);
  ASSERT_EQ(last->posts.size(), 1u);
  EXPECT_THAT(last->posts[0].content, ::testing::HasSubstr("prevenção"));
}

TEST_P(ContentTest, ListTotalsAreRememberedForTheirGenerationOnly) {
  const PostQuery drafts{.statuses = {PostStatus::kDraft}};
  NewPost("Um", "<p>1</p>");
  auto g1 = service_->Generation(tenant_);
  ASSERT_TRUE(g1.has_value());
  EXPECT_EQ(service_->List(tenant_, drafts, *g1)->total, 1);
  NewPost("Dois", "<p>2</p>");  // the triggers move the generation
  auto g2 = service_->Generation(tenant_);
  ASSERT_TRUE(g2.has_value());
  ASSERT_NE(*g1, *g2);
  EXPECT_EQ(service_->List(tenant_, drafts, *g2)->total, 2);
  // The remembered total is used while its generation is the one asked for: a
  // caller holding the old generation gets the old total, never a mix of states.
  EXPECT_EQ(service_->List(tenant_, drafts, *g1)->total, 1);
  EXPECT_EQ(service_->List(tenant_, drafts)->total, 2);
  // Different filters, different totals; another practice is counted for itself.
  PostQuery one = drafts;
  one.search = "dois";
  EXPECT_EQ(service_->List(tenant_, one, *g2)->total, 1);
  EXPECT_EQ(service_->List(other_tenant_, drafts, *g2)->total, 0);
}

// The generation moves once a change is committed, never for one rolled back; on
// PostgreSQL two writing transactions of one practice do not wait for each other
// on the counter (migration 0800), so rows wanted crosswise cannot deadlock.
TEST_P(ContentTest, TheGenerationMovesAtCommitWithoutMakingWritersWait) {
  const Post a = NewPost("Um");
  const Post b = NewPost("Dois");
  auto generation = [&] { return service_->Generation(tenant_).value(); };
  const auto rename = "UPDATE posts SET title = $3 WHERE tenant_id = $1 AND id = $2";
  const int64_t g0 = generation();

  auto first = db().Acquire();
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE((*first)->Begin(true).has_value());
  ASSERT_EQ((*first)->Execute(rename, {tenant_, a.id, "Um, editado"}).value(), 1);
  ASSERT_EQ((*first)->Execute(rename, {tenant_, a.id, "Um, de novo"}).value(), 1);
  EXPECT_EQ(generation(), g0);  // not committed: nothing to see yet
  if (backend() == testing::Backend::kPostgres) {
    // Another writer of the same practice goes ahead while the first is open
    // (before 0800 it waited for the counter row, here until lock_timeout).
    auto second = db().Acquire();
    ASSERT_TRUE(second.has_value());
    ASSERT_TRUE((*second)->Begin(true).has_value());
    ASSERT_TRUE((*second)->Execute("SET LOCAL lock_timeout = '3s'").has_value());
    auto moved = (*second)->Execute(rename, {tenant_, b.id, "Dois, editado"});
    ASSERT_TRUE(moved.has_value()) << moved.error().ToLogString();
    ASSERT_TRUE((*second)->Commit().has_value());
    EXPECT_EQ(generation(), g0 + 1);  // once per transaction, not per row
    // ... and the first may then change the row the second changed.
    ASSERT_EQ((*first)->Execute(rename, {tenant_, b.id, "Dois, de novo"}).value(), 1);
  }
  const int64_t before_commit = generation();
  ASSERT_TRUE((*first)->Commit().has_value());
  const int64_t committed = generation();
  EXPECT_GT(committed, before_commit);
  EXPECT_EQ(service_->Get(tenant_, a.id)->title, "Um, de novo");

  // A transaction rolled back leaves the generation where it was.
  ASSERT_TRUE((*first)->Begin(true).has_value());
  ASSERT_EQ((*first)->Execute(rename, {tenant_, a.id, "Desfeito"}).value(), 1);
  ASSERT_TRUE((*first)->Rollback().has_value());
  EXPECT_EQ(generation(), committed);
  // Another practice's counter is its own.
  const int64_t other = service_->Generation(other_tenant_).value_or(0);
  NewPost("Três");
  EXPECT_EQ(service_->Generation(other_tenant_).value_or(0), other);
  EXPECT_GT(generation(), committed);
}

// The authors of a listing come in one query, each once, only the practice's own.
TEST_P(ContentTest, AuthorsOfAListAreReadTogether) {
  accounts::UserRepository users(db(), clock());
  auto stranger = users.Create(other_tenant_,
                               {.email = "x@b.test", .display_name = "X", .role = Role::kDoctor});
  ASSERT_TRUE(stranger.has_value());
  std::vector<Post> posts(4);
  posts[0].author_id = writer_;
  posts[1].author_id = doctor_;
  posts[2].author_id = writer_;
  posts[3].author_id = stranger->id;  // another practice's user: not an author here
  posts.emplace_back();               // no author at all
  auto authors = service_->AuthorsOf(tenant_, posts);
  ASSERT_TRUE(authors.has_value()) << authors.error().ToLogString();
  ASSERT_EQ(authors->size(), 2u);
  EXPECT_EQ(authors->at(writer_).name, "autora@a.test");
  EXPECT_EQ(authors->at(doctor_).name, "medica@a.test");
  EXPECT_EQ(authors->at(doctor_).slug, "autor-" + std::to_string(doctor_));
  EXPECT_TRUE(service_->AuthorsOf(tenant_, {})->empty());
}

TEST_P(ContentTest, ListsLimitedToAnAuthorHoldPublicContentAndTheirOwn) {
  Post mine = NewPost("Meu rascunho");
  Post published = NewPost("Publicado");
  ASSERT_TRUE(db().Run([&](store::Connection& c) {
    return service_->posts().WriteStatus(c, tenant_, published.id, PostStatus::kPublish, {}, {});
  }));
  auto theirs =
      service_->Create(tenant_, PostType::kPost, {.title = "De outra pessoa"}, Actor::System());
  ASSERT_TRUE(theirs.has_value());
  PostQuery q{.statuses = {PostStatus::kDraft, PostStatus::kPublish}};
  EXPECT_EQ(service_->List(tenant_, q)->total, 3);
  q.public_or_author = writer_;  // NewPost writes as writer_
  auto r = service_->List(tenant_, q);
  ASSERT_TRUE(r.has_value()) << r.error().ToLogString();
  EXPECT_EQ(r->total, 2);
  std::set<int64_t> ids;
  for (const auto& p : r->posts) ids.insert(p.id);
  EXPECT_EQ(ids, (std::set<int64_t>{mine.id, published.id}));
  q.public_or_author = 0;  // a reader: public content only
  r = service_->List(tenant_, q);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->total, 1);
  ASSERT_EQ(r->posts.size(), 1u);
  EXPECT_EQ(r->posts[0].id, published.id);
  // The rule per role: a contributor's lists hold their own posts, a reader's public
  // content only, staff see everything.
  EXPECT_EQ(Writer().ListsLimitedTo(), writer_);
  EXPECT_EQ(As(writer_, Role::kReader, 60).ListsLimitedTo(), 0);
  EXPECT_EQ(Reviewer().ListsLimitedTo(), std::nullopt);
  EXPECT_EQ(Actor::System().ListsLimitedTo(), std::nullopt);
}

TEST_P(ContentTest, TermsSpecialtiesMetaAndFilters) {
  ASSERT_TRUE(service_->EnsureTenantDefaults(tenant_).has_value());
  ASSERT_TRUE(service_->EnsureTenantDefaults(tenant_).has_value());  // idempotent
  auto cats = db().Run(
      [&](store::Connection& c) { return service_->terms().List(c, tenant_, {.per_page = 100}); });
  ASSERT_TRUE(cats.has_value());
  EXPECT_EQ(cats->total, 10);
  auto cardio = db().Run([&](store::Connection& c) {
    return service_->terms().FindBySlug(c, tenant_, kCategory, "cardiologia");
  });
  ASSERT_TRUE(cardio.has_value() && cardio->has_value());
  EXPECT_EQ((*cardio)->specialty, "cardiology");
  auto child = db().Transact([&](store::Connection& c) {
    return service_->terms().Create(c, tenant_, {.name = "Arritmias", .parent_id = (*cardio)->id});
  });
  ASSERT_TRUE(child.has_value());
  EXPECT_EQ(child->parent_id, (*cardio)->id);
  auto dup = db().Transact([&](store::Connection& c) {
    return service_->terms().Create(c, tenant_, {.name = "Arritmias"});
  });
  EXPECT_EQ(dup.error().code(), "term_exists");
  auto tag = db().Transact([&](store::Connection& c) {
    return service_->terms().Create(c, tenant_, {.taxonomy = "post_tag", .name = "Arritmias"});
  });
  ASSERT_TRUE(tag.has_value());  // same slug, other taxonomy

  Post p = NewPost("Com termos");
  auto tagged = service_->Update(tenant_, p.id,
                                 {.term_ids = std::vector<int64_t>{child->id, tag->id}}, Writer());
  ASSERT_TRUE(tagged.has_value());
  EXPECT_EQ(tagged->term_ids.size(), 2u);
  auto bad = service_->Update(tenant_, p.id, {.term_ids = std::vector<int64_t>{999999}}, Writer());
  EXPECT_EQ(bad.error().code(), "validation_failed");
  PostQuery q;
  q.statuses = {PostStatus::kDraft};
  q.any_terms_a = {child->id};
  EXPECT_EQ(service_->List(tenant_, q)->total, 1);
  q.any_terms_a = {(*cardio)->id};
  EXPECT_EQ(service_->List(tenant_, q)->total, 0);

  ASSERT_TRUE(db().Transact([&](store::Connection& c) {
    return service_->posts().SetMeta(c, tenant_, p.id, "crm_responsavel", "12345/SP");
  }));
  auto meta = service_->Meta(tenant_, p.id);
  ASSERT_EQ(meta->size(), 1u);
  EXPECT_EQ((*meta)[0].value, "12345/SP");
  // Delete only from the trash unless forced.
  EXPECT_EQ(service_->Delete(tenant_, p.id, Doctor(), false).error().code(), "not_in_trash");
  ASSERT_TRUE(service_->Delete(tenant_, p.id, Doctor(), true).has_value());
  EXPECT_EQ(service_->Get(tenant_, p.id).error().code(), "post_not_found");
}

TEST_P(ContentTest, CommentsAreHeldForModeration) {
  Post p = NewPost("Comentável");
  auto c1 = db().Transact([&](store::Connection& c) {
    return service_->comments().Create(c, tenant_,
                                       {.post_id = p.id,
                                        .author_name = "Leitor",
                                        .author_email = "l@x.test",
                                        .content = "<p>Bom <img src=x onerror=alert(1)></p>"});
  });
  ASSERT_TRUE(c1.has_value()) << c1.error().ToLogString();
  EXPECT_EQ(c1->status, CommentStatus::kHold);
  EXPECT_EQ(c1->content, "<p>Bom <img src=\"x\"></p>");
  auto visible = db().Run([&](store::Connection& c) {
    return service_->comments().List(c, tenant_, {.posts = {p.id}});
  });
  EXPECT_EQ(visible->total, 0);
  ASSERT_TRUE(db().Transact([&](store::Connection& c) {
    return service_->comments().Moderate(c, tenant_, c1->id, CommentStatus::kApproved);
  }));
  visible = db().Run([&](store::Connection& c) {
    return service_->comments().List(c, tenant_, {.posts = {p.id}});
  });
  EXPECT_EQ(visible->total, 1);
}

TEST_P(ContentTest, MarkdownIsRenderedAndCached) {
  auto p = service_->Create(tenant_, PostType::kPost,
                            {.title = "MD",
                             .content = "# Olá\n\n<script>x</script>**forte**",
                             .format = ContentFormat::kMarkdown},
                            Writer());
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->content, "# Olá\n\n<script>x</script>**forte**");  // source kept
  const std::string html = service_->Rendered(*p);
  EXPECT_NE(html.find("<h1>Olá</h1>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(service_->Rendered(*p), html);
}

HCMS_INSTANTIATE_BACKENDS(ContentTest);

}  // namespace
}  // namespace hcms::content
