#include "web/admin_routes.h"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/compression.h"
#include "tests/support/temp_dir.h"
#include "web/admin_assets.h"

namespace hcms::web {
namespace {

using ::testing::HasSubstr;

const std::string kIndex = "<!doctype html><title>hcms</title><div id=root></div>";
const std::string kScript = "console.log('admin');";

AdminAssets Sample() {
  auto a = AdminAssets::FromFiles({{"index.html", kIndex},
                                   {"favicon.svg", "<svg/>"},
                                   {"assets/index-abc123.js", kScript},
                                   {"assets/index-abc123.js.gz", "GZIPPED-BYTES"},
                                   {"assets/index-def456.css", "body{}"}});
  EXPECT_TRUE(a.has_value());
  return std::move(*a);
}

http::Request Get(std::string path) {
  http::Request r;
  r.method = http::Method::kGet;
  r.path = path;
  r.target = path;
  r.request_id = "req-1";
  return r;
}

TEST(ContentTypeFor, KnownExtensionsAndFallback) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("assets/a-1.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("assets/a-1.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("favicon.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("assets/font.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("assets/x.png"), "image/png");
  EXPECT_EQ(ContentTypeFor("LICENSE"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("dir.d/file"), "application/octet-stream");
}

TEST(AdminAssets, FromFilesNeedsAnIndex) {
  auto a = AdminAssets::FromFiles({{"assets/x.js", "x"}});
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code(), "admin_ui_unavailable");
}

TEST(AdminAssets, PairsPrecompressedVariantsAndMarksHashedAssetsImmutable) {
  AdminAssets a = Sample();
  const Asset* js = a.Find("assets/index-abc123.js");
  ASSERT_NE(js, nullptr);
  EXPECT_EQ(js->gzip_body, "GZIPPED-BYTES");
  EXPECT_TRUE(js->immutable);
  EXPECT_NE(js->etag, js->gzip_etag);
  EXPECT_EQ(a.Find("assets/index-abc123.js.gz"), nullptr);
  EXPECT_FALSE(a.index().immutable);
  EXPECT_EQ(a.file_count(), 4u);
}

TEST(AdminAssets, CompressesOnceTheTextTheBuildLeftPlain) {
  std::string css;
  for (int i = 0; i < 100; ++i) css += ".c" + std::to_string(i) + "{color:#123456}\n";
  auto a = AdminAssets::FromFiles({{"index.html", kIndex},
                                   {"assets/big.css", css},
                                   {"assets/x.png", std::string(4096, '\x89')}});
  ASSERT_TRUE(a.has_value());
  const Asset* big = a->Find("assets/big.css");
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(big->gzip_body, http::Gzip(css, 9));
  EXPECT_FALSE(big->gzip_etag.empty());
  EXPECT_NE(big->gzip_etag, big->etag);
  EXPECT_TRUE(a->Find("assets/x.png")->gzip_body.empty());  // not text
  http::Request req = Get("/admin/assets/big.css");
  req.headers.push_back({"Accept-Encoding", "gzip"});
  http::Response r = ServeAdmin(&*a, req, "assets/big.css");
  EXPECT_EQ(r.Get("Content-Encoding"), "gzip");
  EXPECT_EQ(r.body, big->gzip_body);
}

TEST(AdminAssets, LoadDirectoryReadsFilesAndSkipsSymlinks) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.File("assets"));
  testing::WriteFile(dir.File("index.html"), kIndex);
  testing::WriteFile(dir.File("assets/app-1.js"), kScript);
  testing::WriteFile(dir.File("secret.txt"), "outside");
  std::filesystem::create_symlink(dir.File("secret.txt"), dir.File("assets/link.txt"));
  auto a = AdminAssets::LoadDirectory(dir.path());
  ASSERT_TRUE(a.has_value()) << a.error().ToLogString();
  ASSERT_NE(a->Find("assets/app-1.js"), nullptr);
  EXPECT_EQ(a->Find("assets/app-1.js")->body, kScript);
  EXPECT_EQ(a->Find("assets/link.txt"), nullptr);
  EXPECT_EQ(a->index().body, kIndex);
}

TEST(AdminAssets, LoadDirectoryWithoutIndexIsUnavailable) {
  testing::TempDir dir;
  auto a = AdminAssets::LoadDirectory(dir.File("does-not-exist"));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code(), "admin_ui_unavailable");
  EXPECT_EQ(a.error().kind(), ErrorKind::kUnavailable);
}

TEST(ServeAdmin, RootIsIndexWithStrictCspAndNoCache) {
  AdminAssets a = Sample();
  http::Response r = ServeAdmin(&a, Get("/admin"), "");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kIndex);
  EXPECT_EQ(r.Get("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.Get("Cache-Control"), "no-cache");
  EXPECT_EQ(r.Get("Content-Security-Policy"), kAdminCsp);
  EXPECT_THAT(r.Get("Content-Security-Policy"), HasSubstr("script-src 'self';"));
  EXPECT_THAT(std::string(r.Get("Content-Security-Policy")), Not(HasSubstr("unsafe-inline")));
  EXPECT_THAT(r.Get("Content-Security-Policy"), HasSubstr("frame-ancestors 'none'"));
  EXPECT_EQ(r.Get("X-Frame-Options"), "DENY");
  EXPECT_EQ(r.Get("ETag"), a.index().etag);
}

TEST(ServeAdmin, ClientRoutesFallBackToIndex) {
  AdminAssets a = Sample();
  for (const char* path : {"posts", "posts/42", "pipeline/runs/7/stages", "login"}) {
    http::Response r = ServeAdmin(&a, Get(std::string("/admin/") + path), path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, kIndex) << path;
    EXPECT_EQ(r.Get("Cache-Control"), "no-cache") << path;
  }
}

TEST(ServeAdmin, HashedAssetsAreImmutable) {
  AdminAssets a = Sample();
  http::Response r =
      ServeAdmin(&a, Get("/admin/assets/index-def456.css"), "assets/index-def456.css");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "body{}");
  EXPECT_EQ(r.Get("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(r.Get("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(r.Get("Vary"), "");
}

TEST(ServeAdmin, MissingFilesAre404ProblemsNotHtml) {
  AdminAssets a = Sample();
  for (const char* path : {"assets/gone-123.js", "assets/sub/page", "robots.txt", "x/y.map"}) {
    http::Response r = ServeAdmin(&a, Get(std::string("/admin/") + path), path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.Get("Content-Type"), "application/problem+json") << path;
    auto j = nlohmann::json::parse(r.body);
    EXPECT_EQ(j["code"], "not_found");
    EXPECT_EQ(j["request_id"], "req-1");
  }
}

TEST(ServeAdmin, TraversalAttemptsNeverLeaveTheAssetSet) {
  AdminAssets a = Sample();
  http::Response r = ServeAdmin(&a, Get("/admin/../../etc/passwd"), "../../etc/passwd");
  EXPECT_EQ(r.status, 200);  // not a file name: the application shell, nothing else
  EXPECT_EQ(r.body, kIndex);
  r = ServeAdmin(&a, Get("/admin/assets/../index.html"), "assets/../index.html");
  EXPECT_EQ(r.status, 404);
}

TEST(ServeAdmin, IfNoneMatchAnswers304) {
  AdminAssets a = Sample();
  const Asset* js = a.Find("assets/index-abc123.js");
  http::Request req = Get("/admin/assets/index-abc123.js");
  req.headers.push_back({"If-None-Match", "\"other\", W/" + js->etag});
  http::Response r = ServeAdmin(&a, req, "assets/index-abc123.js");
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.Get("ETag"), js->etag);
  EXPECT_EQ(r.Get("Cache-Control"), "public, max-age=31536000, immutable");

  req.headers = {{"If-None-Match", "\"stale\""}};
  r = ServeAdmin(&a, req, "assets/index-abc123.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kScript);
}

TEST(ServeAdmin, GzipOnlyWhenAccepted) {
  AdminAssets a = Sample();
  const Asset* js = a.Find("assets/index-abc123.js");
  http::Request req = Get("/admin/assets/index-abc123.js");
  req.headers.push_back({"Accept-Encoding", "br, gzip;q=0.8, deflate"});
  http::Response r = ServeAdmin(&a, req, "assets/index-abc123.js");
  EXPECT_EQ(r.body, "GZIPPED-BYTES");
  EXPECT_EQ(r.Get("Content-Encoding"), "gzip");
  EXPECT_EQ(r.Get("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(r.Get("Vary"), "Accept-Encoding");
  EXPECT_EQ(r.Get("ETag"), js->gzip_etag);

  req.headers = {{"Accept-Encoding", "gzip;q=0, identity"}};
  r = ServeAdmin(&a, req, "assets/index-abc123.js");
  EXPECT_EQ(r.body, kScript);
  EXPECT_EQ(r.Get("Content-Encoding"), "");
  EXPECT_EQ(r.Get("Vary"), "Accept-Encoding");

  req.headers.clear();
  r = ServeAdmin(&a, req, "assets/index-abc123.js");
  EXPECT_EQ(r.body, kScript);
}

TEST(ServeAdmin, WithoutABuildAnswers503InTheRequestLanguage) {
  http::Request req = Get("/admin");
  http::Response r = ServeAdmin(nullptr, req, "");
  EXPECT_EQ(r.status, 503);
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["code"], "admin_ui_unavailable");
  EXPECT_THAT(j["detail"].get<std::string>(), HasSubstr("não foi compilada"));
  req.headers.push_back({"Accept-Language", "en-US,en;q=0.9"});
  j = nlohmann::json::parse(ServeAdmin(nullptr, req, "").body);
  EXPECT_THAT(j["detail"].get<std::string>(), HasSubstr("not built"));
}

TEST(AddAdminRoutes, RegistersPublicInlineRoutesThatValidate) {
  http::Router router;
  AddAdminRoutes(router, std::make_shared<const AdminAssets>(Sample()));
  ASSERT_TRUE(router.Validate().has_value());
  for (const char* path :
       {"/admin", "/admin/", "/admin/posts/1", "/admin/assets/index-abc123.js"}) {
    auto m = router.Find(http::Method::kGet, path);
    ASSERT_NE(m.route, nullptr) << path;
    EXPECT_EQ(m.route->resource_class, ResourceClass::kPublic);
    EXPECT_EQ(m.route->execution, http::Execution::kInline);
    http::Request req = Get(path);
    req.path_params = m.params;
    EXPECT_EQ(m.route->handler(req).status, 200) << path;
  }
  EXPECT_FALSE(router.Find(http::Method::kPost, "/admin/posts").route);
}

}  // namespace
}  // namespace hcms::web
