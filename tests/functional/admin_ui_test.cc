// /admin from the real binary: the build directory named by web.admin_dir is
// served with its headers, and a server without one answers 503.

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/hcms_process.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"

namespace hcms::testing {
namespace {

using ::testing::HasSubstr;

TEST(AdminUi, ServesTheConfiguredBuildWithCspAndCaching) {
  TempDir ui;
  std::filesystem::create_directories(ui.File("assets"));
  WriteFile(ui.File("index.html"), "<!doctype html><div id=\"root\"></div>");
  WriteFile(ui.File("assets/app-1a2b.js"), "console.log(1)");
  HcmsProcess s({.env = {{"HCMS_WEB_ADMIN_DIR", ui.path()}}});

  auto index = Request(s.port(), "GET", "/admin/posts/7");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_THAT(index->body, HasSubstr("id=\"root\""));
  EXPECT_EQ(index->Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->Header("cache-control"), "no-cache");
  EXPECT_THAT(index->Header("content-security-policy"), HasSubstr("script-src 'self'"));

  auto js = Request(s.port(), "GET", "/admin/assets/app-1a2b.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(js->Header("cache-control"), "public, max-age=31536000, immutable");
  const std::string etag(js->Header("etag"));
  ASSERT_FALSE(etag.empty());

  auto again =
      Request(s.port(), "GET", "/admin/assets/app-1a2b.js", {}, "If-None-Match: " + etag + "\r\n");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());

  auto head = Request(s.port(), "HEAD", "/admin/assets/app-1a2b.js");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("content-length"), "14");

  auto missing = Request(s.port(), "GET", "/admin/assets/gone.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->Header("content-type"), "application/problem+json");
  EXPECT_EQ(nlohmann::json::parse(missing->body)["code"], "not_found");

  auto post = Request(s.port(), "POST", "/admin/posts", "x", "Content-Type: text/plain\r\n");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
}

TEST(AdminUi, WithoutABuildAnswers503Problem) {
  TempDir empty;
  HcmsProcess s({.env = {{"HCMS_WEB_ADMIN_DIR", empty.path()}}});
  auto r = Request(s.port(), "GET", "/admin");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->Header("content-type"), "application/problem+json");
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["code"], "admin_ui_unavailable");
  EXPECT_FALSE(j["request_id"].get<std::string>().empty());
  // The API keeps serving.
  auto health = Request(s.port(), "GET", "/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

}  // namespace
}  // namespace hcms::testing
