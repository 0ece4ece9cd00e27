// WXR import/export on both databases, with the 1,000-post WordPress export and
// hand-made files.
#include "content/wxr.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <zlib.h>

#include "tenants/tenants.h"
#include "tests/support/db_fixture.h"

namespace hcms::content {
namespace {

std::string Data(const std::string& rel) { return std::string(HCMS_TEST_DATA_DIR) + "/" + rel; }

class WxrTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    tenants::TenantRepository tenants(db(), clock());
    tenant_ = tenants.Create({.slug = "clinica-a", .name = "Clínica A"})->id;
    other_ = tenants.Create({.slug = "clinica-b", .name = "Clínica B"})->id;
    service_ = std::make_unique<ContentService>(db(), clock());
    dir_ = std::filesystem::temp_directory_path() /
           ("hcms-wxr-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    DatabaseTest::TearDown();
  }

  Result<ImportReport> Import(const std::string& path, int64_t tenant, ImportOptions o = {}) {
    o.tenant_id = tenant;
    return WxrImporter(*service_, o).ImportFile(path);
  }
  int64_t Count(const std::string& table, int64_t tenant) {
    return db()
        .Run([&](store::Connection& c) {
          return c.Query("SELECT COUNT(*) FROM " + table + " WHERE tenant_id = $1", {tenant});
        })
        .value()[0]
        .Int(0);
  }

  int64_t tenant_ = 0, other_ = 0;
  std::unique_ptr<ContentService> service_;
  std::filesystem::path dir_;
};

TEST_P(WxrTest, ImportsTheThousandPostExportAndReimportsIdempotently) {
  const std::string file = HCMS_WP_EXPORT;
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "no " << file;
  int calls = 0;
  int64_t scanned = 0;
  auto r = Import(file, tenant_,
                  {.scanner = [&](store::Connection&, int64_t, const Post&) -> Result<bool> {
                     ++scanned;
                     return false;
                   },
                   .progress = [&](int64_t, int64_t) { ++calls; }});
  ASSERT_TRUE(r.has_value()) << r.error().ToLogString();
  std::cerr << FormatImportReport(*r).substr(0, 600);
  EXPECT_EQ(r->wxr_version, "1.2");
  EXPECT_EQ(r->counts["post"].created, 1000);
  EXPECT_EQ(r->counts["page"].created, 20);
  EXPECT_EQ(r->counts["post"].renumbered, 0);  // original ids kept
  EXPECT_EQ(r->counts["authors"].created, 4);
  EXPECT_EQ(r->counts["categories"].created, 11);
  EXPECT_EQ(r->counts["tags"].created, 60);
  EXPECT_EQ(scanned, 1020);
  EXPECT_GT(calls, 10);
  // WordPress's post 1003 keeps its id and its terms.
  auto p = service_->Get(tenant_, 1003);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->status, PostStatus::kPublish);
  EXPECT_FALSE(p->term_ids.empty());
  EXPECT_NE(p->content.find("<!-- wp:paragraph -->"), std::string::npos);
  PostQuery search;
  search.search = "jabuticaba";
  const int64_t hits = service_->List(tenant_, search)->total;
  EXPECT_GT(hits, 50);  // WordPress's LIKE search finds 83
  EXPECT_LT(hits, 120);
  // Pages keep their hierarchy.
  PostQuery children;
  children.types = {PostType::kPage};
  EXPECT_EQ(service_->List(tenant_, children)->total, 20);
  // The planner has statistics for the imported tables (ANALYZE after the import).
  const bool sqlite = db().dialect() == store::Dialect::kSqlite;
  auto analysed = db().Run([&](store::Connection& c) {
    return c.Query(sqlite ? "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'posts'"
                          : "SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = 'posts' "
                            "AND last_analyze IS NOT NULL",
                   {});
  });
  ASSERT_TRUE(analysed.has_value()) << analysed.error().ToLogString();
  EXPECT_GT((*analysed)[0].Int(0), 0);

  auto again = Import(file, tenant_);
  ASSERT_TRUE(again.has_value()) << again.error().ToLogString();
  EXPECT_EQ(again->counts["post"].created, 0);
  EXPECT_EQ(again->counts["post"].existing, 1000);
  EXPECT_EQ(again->counts["tags"].created, 0);
  EXPECT_EQ(Count("posts", tenant_), 1020);

  // The same file into another tenant: ids are taken, so new ones are given.
  auto other = Import(file, other_);
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(other->counts["post"].created, 1000);
  EXPECT_EQ(other->counts["post"].renumbered, 1000);
  EXPECT_EQ(Count("posts", other_), 1020);
}

TEST_P(WxrTest, ImportsBothNamespacesWithReferencesFilesAndComments) {
  for (const char* name : {"wxr/wxr-1.0-http.xml", "wxr/wxr-1.2-https.xml"}) {
    const int64_t tenant = std::string(name).find("1.0") != std::string::npos ? tenant_ : other_;
    auto r = Import(Data(name), tenant,
                    {.uploads_dir = Data("wxr/uploads"),
                     .media_dir = (dir_ / std::to_string(tenant)).string(),
                     .media_base_url = "/media"});
    ASSERT_TRUE(r.has_value()) << name << ": " << r.error().ToLogString();
    EXPECT_EQ(r->counts["post"].created, 1) << name;
    EXPECT_EQ(r->counts["page"].created, 2);
    EXPECT_EQ(r->counts["attachment"].created, 1);
    EXPECT_EQ(r->counts["categories"].created, 2);
    EXPECT_EQ(r->counts["tags"].created, 1);
    EXPECT_EQ(r->comments, 2);
    EXPECT_EQ(r->files_copied, 1);
    ASSERT_EQ(r->skipped.size(), 2u);  // the pingback and the menu item
  }
  // References resolved, whichever id each record got.
  auto page = db().Run(
      [&](store::Connection& c) { return service_->posts().FindBySlug(c, other_, "equipe"); });
  ASSERT_TRUE(page.has_value() && page->has_value());
  auto parent = service_->Get(other_, *(*page)->parent_id);
  ASSERT_TRUE(parent.has_value());
  EXPECT_EQ(parent->slug, "sobre");
  auto post = db().Run([&](store::Connection& c) {
    return service_->posts().FindBySlug(c, tenant_, "arritmia-quando-procurar");
  });
  ASSERT_TRUE(post.has_value() && post->has_value());
  const Post& p = **post;
  EXPECT_TRUE(p.sticky);
  EXPECT_EQ(p.content.find("<script"), std::string::npos);
  EXPECT_NE(p.content.find("<!-- wp:paragraph -->"), std::string::npos);
  ASSERT_TRUE(p.featured_media_id.has_value());
  auto media = service_->Get(tenant_, *p.featured_media_id);
  EXPECT_EQ(media->source_url, "/media/2020/05/coracao.jpg");
  EXPECT_EQ(media->mime_type, "image/jpeg");
  EXPECT_TRUE(std::filesystem::exists(dir_ / std::to_string(tenant_) / "2020/05/coracao.jpg"));
  auto arr = db().Run([&](store::Connection& c) {
    return service_->terms().FindBySlug(c, tenant_, kCategory, "arritmias");
  });
  auto heart = db().Run([&](store::Connection& c) {
    return service_->terms().FindBySlug(c, tenant_, kCategory, "coracao");
  });
  EXPECT_EQ((*arr)->parent_id, (*heart)->id);
  auto comments = db().Run([&](store::Connection& c) {
    return service_->comments().List(c, tenant_,
                                     {.posts = {p.id},
                                      .statuses = {CommentStatus::kApproved, CommentStatus::kHold},
                                      .ascending = true});
  });
  ASSERT_EQ(comments->total, 2);
  EXPECT_EQ(comments->comments[0].author_url, "");  // javascript: dropped
  EXPECT_EQ(comments->comments[1].parent_id, comments->comments[0].id);
  auto meta = service_->Meta(tenant_, p.id);
  ASSERT_EQ(meta->size(), 1u);
  EXPECT_EQ((*meta)[0].key, "crm_responsavel");
}

TEST_P(WxrTest, MalformedOrTruncatedFilesChangeNothing) {
  const std::string file = HCMS_WP_EXPORT;
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "no " << file;
  // Cut the real export in the middle of its items (gzip-compressed, as a
  // half-finished download would be).
  std::string xml;
  {
    gzFile in = gzopen(file.c_str(), "rb");
    char buf[65536];
    int n;
    while ((n = gzread(in, buf, sizeof buf)) > 0) xml.append(buf, static_cast<size_t>(n));
    gzclose(in);
  }
  const std::string truncated = (dir_ / "truncated.xml.gz").string();
  {
    gzFile out = gzopen(truncated.c_str(), "wb");
    gzwrite(out, xml.data(), static_cast<unsigned>(xml.size() / 2));
    gzclose(out);
  }
  auto r = Import(truncated, tenant_);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), "wxr_malformed");
  EXPECT_NE(r.error().detail().find("linha"), std::string::npos) << r.error().detail();
  EXPECT_EQ(Count("posts", tenant_), 0);
  EXPECT_EQ(Count("content_terms", tenant_), 0);
  EXPECT_EQ(Count("users", tenant_), 0);

  const std::string broken = (dir_ / "broken.xml").string();
  std::ofstream(broken) << xml.substr(0, 40000) << "<item><title>x</titel></item>";
  EXPECT_EQ(Import(broken, tenant_).error().code(), "wxr_malformed");
  EXPECT_EQ(Import(Data("wxr/not-wxr.xml"), tenant_).error().code(), "wxr_not_wxr");
  EXPECT_EQ(Import((dir_ / "missing.xml").string(), tenant_).error().code(), "file_not_found");
  EXPECT_EQ(Count("posts", tenant_), 0);
}

TEST_P(WxrTest, ExportReadsBackTheSame) {
  ASSERT_TRUE(Import(Data("wxr/wxr-1.2-https.xml"), tenant_).has_value());
  auto md = service_->Create(tenant_, PostType::kPost,
                             {.title = "Markdown ]]> e CDATA",
                              .content = "**forte** ]]> fim",
                              .format = ContentFormat::kMarkdown},
                             Actor::System());
  ASSERT_TRUE(md.has_value());
  const std::string out = (dir_ / "export.xml").string();
  ASSERT_TRUE(ExportWxr(*service_,
                        {.tenant_id = tenant_, .site_title = "A", .site_url = "http://a.example"},
                        out)
                  .has_value());
  auto r = Import(out, other_);
  ASSERT_TRUE(r.has_value()) << r.error().ToLogString();
  EXPECT_EQ(r->counts["post"].created, 2);
  EXPECT_EQ(r->counts["page"].created, 2);
  EXPECT_EQ(r->counts["attachment"].created, 1);
  EXPECT_EQ(r->comments, 2);
  auto copy = db().Run(
      [&](store::Connection& c) { return service_->posts().FindBySlug(c, other_, md->slug); });
  ASSERT_TRUE(copy.has_value() && copy->has_value());
  EXPECT_NE((*copy)->content.find("<strong>forte</strong> ]]&gt; fim"), std::string::npos)
      << (*copy)->content;
  EXPECT_EQ((*copy)->title, "Markdown ]]&gt; e CDATA");
}

HCMS_INSTANTIATE_BACKENDS(WxrTest);

}  // namespace
}  // namespace hcms::content
