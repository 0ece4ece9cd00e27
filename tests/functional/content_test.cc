// Content end to end: the real hcms binary, the 1,000-post WordPress export
// imported with `hcms import wxr`, then /wp-json compared with the shapes the
// real WordPress answers (tests/data/wp/, captured by scripts/wp-capture-shapes.sh
// from the install of ../shared/research/wp-setup.sh), the public site, the
// native API, the wpapi client and the OpenAPI validator. SQLite and PostgreSQL.

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "accounts/totp.h"
#include "core/clock.h"
#include "tests/support/gzip.h"
#include "tests/support/hcms_process.h"
#include "tests/support/http_client.h"
#include "tests/support/subprocess.h"

namespace hcms::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

std::string SourceDir() {
  const char* s = std::getenv("TEST_HCMS_SOURCE_DIR");
  return s ? s : ".";
}
std::string WpExport() {
  const char* shared = std::getenv("TEST_HCMS_SHARED_DIR");
  return std::string(shared ? shared : SourceDir() + "/../shared") +
         "/research/wp-export-1000-posts.xml.gz";
}
std::string Fixture(const std::string& name) {
  std::ifstream in(SourceDir() + "/tests/data/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One server per backend for the whole suite, holding the imported export.
struct Site {
  std::unique_ptr<HcmsProcess> server;
  RunResult import;
};

Site& SiteFor(Backend backend) {
  static std::map<Backend, std::unique_ptr<Site>> sites;
  auto& s = sites[backend];
  if (!s) {
    s = std::make_unique<Site>();
    s->server = std::make_unique<HcmsProcess>(HcmsOptions{
        .backend = backend, .extra_toml = "[log]\naccess_log = false\nlevel = \"warn\"\n"});
    s->import = s->server->Cli({"import", "wxr", WpExport(), "--tenant", "default"});
  }
  return *s;
}

class ContentE2E : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(WpExport())) GTEST_SKIP() << "missing " << WpExport();
    site_ = &SiteFor(GetParam());
    ASSERT_EQ(site_->import.status, 0) << site_->import.out << site_->import.err;
  }
  int port() const { return site_->server->port(); }
  HttpResponse Get(const std::string& target, const std::string& headers = {}) {
    auto r = Request(port(), "GET", target, {}, headers);
    if (!r) throw std::runtime_error("no response for " + target);
    return *r;
  }
  Site* site_ = nullptr;
};

// Every key WordPress sends is there, with the same JSON type, recursively.
void ExpectSameShape(const json& wp, const json& ours, const std::string& path) {
  auto kind = [](const json& j) {
    if (j.is_number()) return std::string("number");
    if (j.is_null()) return std::string("null");
    return std::string(j.type_name());
  };
  if (wp.is_null() || ours.is_null()) return;  // "post": null for unattached media, etc.
  ASSERT_EQ(kind(wp), kind(ours)) << path;
  if (wp.is_object()) {
    for (auto& [k, v] : wp.items()) {
      if (k == "media_details" || k == "image_meta" || k == "sizes")
        continue;  // files not processed
      ASSERT_TRUE(ours.contains(k)) << path << "." << k << " is missing";
      ExpectSameShape(v, ours[k], path + "." + k);
    }
  } else if (wp.is_array() && !wp.empty() && !ours.empty()) {
    ExpectSameShape(wp[0], ours[0], path + "[0]");
  }
}

std::vector<std::string> Keys(const json& j) {
  std::vector<std::string> out;
  for (auto& [k, v] : j.items()) out.push_back(k);
  return out;
}

TEST_P(ContentE2E, ImportReportsCountsAndIsIdempotent) {
  EXPECT_THAT(site_->import.out, HasSubstr("post             1000"));
  EXPECT_THAT(site_->import.out, HasSubstr("page               20"));
  EXPECT_THAT(site_->import.out, HasSubstr("ignorados / skipped: 0"));
  // No progress bar when stderr is not a terminal.
  EXPECT_THAT(site_->import.err, ::testing::Not(HasSubstr("[#")));
  auto again = site_->server->Cli({"import", "wxr", WpExport(), "--tenant", "default"});
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("post                0       1000"));
}

TEST_P(ContentE2E, BrokenFilesAreRefusedAndChangeNothing) {
  const std::string dir = site_->server->data_dir() + "/../broken";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/half.xml") << Fixture("wxr/wxr-1.2-https.xml").substr(0, 3000);
  auto r = site_->server->Cli({"import", "wxr", dir + "/half.xml", "--tenant", "default"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("malformado ou truncado"));
  EXPECT_THAT(r.err, HasSubstr("nothing was changed"));
  auto missing = site_->server->Cli({"import", "wxr", dir + "/nope.xml", "--tenant", "default"});
  EXPECT_EQ(missing.status, 2);
  auto tenant = site_->server->Cli({"import", "wxr", WpExport(), "--tenant", "nao-existe"});
  EXPECT_EQ(tenant.status, 2);
  EXPECT_THAT(tenant.err, HasSubstr("clínica não encontrada"));
  // Still exactly the 1,000 posts.
  auto list = Get("/wp-json/wp/v2/posts?per_page=1");
  EXPECT_EQ(list.Header("x-wp-total"), "1000");
}

TEST_P(ContentE2E, WpJsonMatchesWordPressShapes) {
  // A single post: same top-level fields in the same order, same types.
  const json wp_post = json::parse(Fixture("wp/post.json"));
  auto r = Get("/wp-json/wp/v2/posts/1003");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/json; charset=UTF-8");
  EXPECT_THAT(r.Header("link"), HasSubstr("rel=\"alternate\""));
  const json post = json::parse(r.body);
  EXPECT_EQ(Keys(post), Keys(wp_post));
  ExpectSameShape(wp_post, post, "post");
  EXPECT_EQ(post["slug"], wp_post["slug"]);
  EXPECT_EQ(post["date"], wp_post["date"]);  // local time of the practice
  EXPECT_EQ(post["date_gmt"], wp_post["date_gmt"]);
  EXPECT_EQ(post["modified_gmt"], wp_post["modified_gmt"]);
  EXPECT_EQ(post["title"], wp_post["title"]);
  EXPECT_EQ(post["tags"].size(), wp_post["tags"].size());
  EXPECT_EQ(Keys(post["_links"]), Keys(wp_post["_links"]));

  // Collections: list headers as WordPress sends them.
  r = Get("/wp-json/wp/v2/posts?per_page=10&page=2");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("x-wp-total"), "1000");
  EXPECT_EQ(r.Header("x-wp-totalpages"), "100");
  EXPECT_THAT(r.Header("link"), HasSubstr("per_page=10&page=1>; rel=\"prev\""));
  EXPECT_THAT(r.Header("link"), HasSubstr("per_page=10&page=3>; rel=\"next\""));
  for (const char* name : {"posts", "pages", "categories", "tags", "users", "search"}) {
    const json wp = json::parse(Fixture(std::string("wp/") + name + ".json"));
    std::string target = std::string("/wp-json/wp/v2/") + name + "?per_page=2";
    if (std::string_view(name) == "search") target += "&search=jabuticaba";
    auto got = Get(target);
    ASSERT_EQ(got.status, 200) << name << ": " << got.body;
    const json ours = json::parse(got.body);
    ASSERT_TRUE(ours.is_array() && !ours.empty()) << name;
    EXPECT_EQ(Keys(ours[0]), Keys(wp[0])) << name;
    ExpectSameShape(wp, ours, name);
  }
  // Errors.
  for (auto [target, fixture, status] :
       {std::tuple{"/wp-json/wp/v2/posts/999999", "wp/error-not-found.json", 404},
        std::tuple{"/wp-json/wp/v2/users/me", "wp/error-users-me.json", 401},
        std::tuple{"/wp-json/wp/v2/posts?per_page=500", "wp/error-per-page.json", 400}}) {
    auto e = Get(target);
    EXPECT_EQ(e.status, status) << target;
    const json wp = json::parse(Fixture(fixture));
    const json ours = json::parse(e.body);
    EXPECT_EQ(ours["code"], wp["code"]) << target;
    EXPECT_EQ(ours["data"]["status"], wp["data"]["status"]) << target;
    EXPECT_TRUE(ours["message"].is_string());
  }
  // Discovery, and the plain-permalink form.
  auto index = json::parse(Get("/wp-json/").body);
  EXPECT_EQ(index["namespaces"], json::array({"wp/v2"}));
  EXPECT_TRUE(index["routes"].contains("/wp/v2/posts"));
  auto plain = Get("/?rest_route=/wp/v2/posts/1003");
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(json::parse(plain.body)["id"], 1003);
  // Drafts are not public; status=draft without credentials is refused like WordPress does.
  EXPECT_EQ(Get("/wp-json/wp/v2/posts?status=draft").status, 400);
  EXPECT_EQ(Get("/wp-json/wp/v2/nada").status, 404);
}

TEST_P(ContentE2E, WpapiClientListsFiltersAndPaginates) {
  const std::string js = SourceDir() + "/tests/js";
  ASSERT_TRUE(std::filesystem::exists(js + "/node_modules/wpapi"))
      << "run: npm ci --prefix tests/js (scripts/test.sh does)";
  SpawnOptions o;
  o.argv = {"/usr/bin/env", "node", js + "/wpapi_client.mjs",
            "http://127.0.0.1:" + std::to_string(port())};
  o.env = CleanEnvironment();
  auto r = hcms::testing::RunProcess(o, std::chrono::seconds(120));
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr(" passed, 0 failed"));
}

TEST_P(ContentE2E, OpenApiIsServedAndValid) {
  auto r = Get("/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  const json doc = json::parse(r.body);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  const std::string file = site_->server->data_dir() + "/openapi.json";
  std::ofstream(file) << r.body;
  SpawnOptions o;
  o.argv = {"/usr/bin/env", "node", SourceDir() + "/tests/js/validate_openapi.mjs", file};
  o.env = CleanEnvironment();
  auto v = hcms::testing::RunProcess(o, std::chrono::seconds(60));
  EXPECT_EQ(v.status, 0) << v.out << v.err;
  EXPECT_THAT(v.out, HasSubstr("valid OpenAPI 3.1"));
}

TEST_P(ContentE2E, NativeApiReadsAndRefusesBadInput) {
  auto list = Get("/api/v1/posts?per_page=5&page=2");
  ASSERT_EQ(list.status, 200);
  auto j = json::parse(list.body);
  EXPECT_EQ(j["total"], 1000);
  EXPECT_EQ(j["items"].size(), 5u);
  EXPECT_FALSE(j["items"][0].contains("content"));  // the source is for editors
  auto one = json::parse(Get("/api/v1/posts/1003").body);
  EXPECT_EQ(one["status"], "publish");
  auto search = json::parse(Get("/api/v1/search?q=JABUTICABA").body);
  EXPECT_GT(search["total"].get<int>(), 50);
  auto terms = json::parse(Get("/api/v1/terms?taxonomy=category").body);
  EXPECT_EQ(terms["total"], 21);  // 11 imported + the 10 medical specialties
  // Bad input: problem+json with a stable code.
  for (auto [target, code, status] :
       {std::tuple{"/api/v1/posts?per_page=1000", "invalid_parameter", 400},
        std::tuple{"/api/v1/posts?status=banana", "invalid_status", 400},
        std::tuple{"/api/v1/posts?status=draft", "unauthenticated", 401},
        std::tuple{"/api/v1/posts/abc", "post_not_found", 404},
        std::tuple{"/api/v1/search", "search_term_required", 400},
        std::tuple{"/api/v1/posts/1003/revisions", "unauthenticated", 401}}) {
    auto e = Get(target);
    EXPECT_EQ(e.status, status) << target;
    EXPECT_EQ(e.Header("content-type"), "application/problem+json") << target;
    EXPECT_EQ(json::parse(e.body)["code"], code) << target;
  }
  auto post = Request(port(), "POST", "/api/v1/posts", R"({"title":"x"})",
                      "Content-Type: application/json\r\n");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 401);
  EXPECT_EQ(json::parse(post->body)["code"], "unauthenticated");
}

TEST_P(ContentE2E, PublicSitePagesFeedsAndCaching) {
  auto home = Get("/");
  ASSERT_EQ(home.status, 200);
  EXPECT_EQ(home.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_THAT(home.body, HasSubstr("<html lang=\"pt-BR\">"));
  EXPECT_THAT(home.body, HasSubstr("Pular para o conteúdo"));
  EXPECT_THAT(
      home.body,
      HasSubstr("rel=\"next\" href=\"http://127.0.0.1:" + std::to_string(port()) + "/page/2/\""));
  EXPECT_THAT(home.Header("content-security-policy"), HasSubstr("default-src 'none'"));
  EXPECT_THAT(home.Header("cache-control"), HasSubstr("max-age="));
  const std::string etag = home.Header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_FALSE(home.Header("last-modified").empty());
  auto again = Get("/", "If-None-Match: " + etag + "\r\n");
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  auto by_date = Get("/", "If-Modified-Since: " + home.Header("last-modified") + "\r\n");
  EXPECT_EQ(by_date.status, 304);
  EXPECT_EQ(Get("/page/2/").status, 200);
  EXPECT_EQ(Get("/page/101/").status, 404);
  EXPECT_EQ(Get("/2025/06/sua-mesma-e-pesquisa-o-livro-a/", "Accept: text/html\r\n").status, 200);

  auto post = Get("/2025/06/sua-mesma-e-pesquisa-o-livro-a/");
  ASSERT_EQ(post.status, 200);
  EXPECT_THAT(post.body, HasSubstr("\"@type\":\"MedicalWebPage\""));
  EXPECT_THAT(post.body,
              HasSubstr("<link rel=\"canonical\" href=\"http://127.0.0.1:" +
                        std::to_string(port()) + "/2025/06/sua-mesma-e-pesquisa-o-livro-a/\">"));
  EXPECT_THAT(post.body, ::testing::Not(HasSubstr("<!-- wp:")));
  // Wrong date in the URL and WordPress short links redirect to the permalink.
  auto moved = Get("/2020/01/sua-mesma-e-pesquisa-o-livro-a/");
  EXPECT_EQ(moved.status, 301);
  EXPECT_THAT(moved.Header("location"), HasSubstr("/2025/06/sua-mesma-e-pesquisa-o-livro-a/"));
  EXPECT_EQ(Get("/?p=1003").status, 301);
  EXPECT_EQ(Get("/sobre/").status, 200);
  EXPECT_EQ(Get("/category/saude/").status, 200);
  EXPECT_EQ(Get("/tag/acordo-professor/").status, 200);
  EXPECT_EQ(Get("/author/ana/").status, 200);
  auto search = Get("/?s=jabuticaba");
  EXPECT_EQ(search.status, 200);
  EXPECT_THAT(search.body, HasSubstr("noindex"));
  auto missing = Get("/nao-existe/", "Accept: text/html,application/xhtml+xml\r\n");
  EXPECT_EQ(missing.status, 404);
  EXPECT_THAT(missing.body, HasSubstr("Página não encontrada"));
  EXPECT_EQ(Get("/nao-existe/").Header("content-type"), "application/problem+json");

  auto rss = Get("/feed/");
  EXPECT_EQ(rss.Header("content-type"), "application/rss+xml; charset=utf-8");
  EXPECT_THAT(rss.body, HasSubstr("<rss version=\"2.0\""));
  EXPECT_EQ(std::count(rss.body.begin(), rss.body.end(), '\n') > 10, true);
  auto atom = Get("/feed/atom/");
  EXPECT_THAT(atom.body, HasSubstr("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
  auto sitemap = Get("/sitemap.xml");
  size_t urls = 0;
  for (size_t at = 0; (at = sitemap.body.find("<loc>", at)) != std::string::npos; ++at) ++urls;
  EXPECT_EQ(urls, 1021u);  // home + 1,000 posts + 20 pages
  EXPECT_THAT(Get("/robots.txt").body, HasSubstr("Sitemap: "));
  EXPECT_EQ(Get("/theme/style.css").Header("content-type"), "text/css; charset=utf-8");
}

INSTANTIATE_TEST_SUITE_P(Backends, ContentE2E,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& p) { return BackendName(p.param); });

}  // namespace
}  // namespace hcms::testing

namespace hcms::testing {
namespace {

// Signs in through the real API and returns a Bearer token.
std::string Login(int port, const std::string& email, const std::string& password,
                  const std::string& totp_secret = {}, std::string* device = nullptr) {
  nlohmann::json body = {{"email", email}, {"password", password}};
  if (!totp_secret.empty())
    body["otp"] = *accounts::TotpCode(totp_secret, SystemClock::Instance().Now());
  std::string headers = "Content-Type: application/json\r\n";
  // A device the account signed in from before counts towards the trust score.
  if (device != nullptr && !device->empty()) headers += "Cookie: hcms_device=" + *device + "\r\n";
  auto r = Request(port, "POST", "/api/v1/auth/login", body.dump(), headers);
  if (!r || r->status != 200) throw std::runtime_error("login failed: " + (r ? r->body : ""));
  const auto j = nlohmann::json::parse(r->body);
  if (device != nullptr && j.contains("device_id")) *device = j["device_id"];
  return j["access_token"].get<std::string>();
}

struct Staff {
  std::string email;
  std::string password;
  std::string token;
};

// A user of the default practice; with `mfa`, enrolled in TOTP and signed in
// with it (the trust score publishing needs).
Staff MakeUser(HcmsProcess& s, const std::string& email, const std::string& role,
               bool mfa = false) {
  Staff u{email, "senha-forte-de-teste-123", ""};
  auto r = s.Cli({"user", "create", "--tenant", "default", "--email", email, "--name", email,
                  "--role", role, "--password-stdin"},
                 u.password + "\n");
  if (r.status != 0) throw std::runtime_error("user create: " + r.err);
  std::string device;
  u.token = Login(s.port(), email, u.password, {}, &device);
  if (!mfa) return u;
  const std::string auth =
      "Authorization: Bearer " + u.token + "\r\nContent-Type: application/json\r\n";
  auto enroll = Request(s.port(), "POST", "/api/v1/auth/mfa/enroll", "{}", auth);
  if (!enroll || enroll->status != 200)
    throw std::runtime_error("enroll: " + (enroll ? enroll->body : ""));
  const std::string secret = nlohmann::json::parse(enroll->body)["secret"];
  auto activate = Request(
      s.port(), "POST", "/api/v1/auth/mfa/activate",
      nlohmann::json({{"otp", *accounts::TotpCode(secret, SystemClock::Instance().Now())}}).dump(),
      auth);
  if (!activate || activate->status != 200)
    throw std::runtime_error("activate: " + (activate ? activate->body : ""));
  u.token = Login(s.port(), email, u.password, secret, &device);
  return u;
}

std::optional<HttpResponse> Call(int port, const std::string& method, const std::string& target,
                                 const Staff& who, const std::string& body = "{}") {
  return Request(port, method, target, body,
                 "Authorization: Bearer " + who.token + "\r\nContent-Type: application/json\r\n");
}

// Publishing needs a completed pipeline run of the post's current revision: runs
// it as `author`, approves the stages waiting for review as `reviewer`, and
// returns the run's final status.
std::string PassPipeline(int port, const std::string& post, const Staff& author,
                         const Staff& reviewer) {
  auto started = Call(port, "POST", post + "/pipeline", author);
  if (!started || started->status != 202) return "start failed";
  const std::string id = nlohmann::json::parse(started->body)["id"];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string status;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto run =
        nlohmann::json::parse(Call(port, "GET", "/api/v1/pipeline/runs/" + id, author)->body);
    status = run.value("status", "");
    if (status == "needs_approval") {
      for (const auto& step : run["steps"]) {
        if (step["status"] == "needs_approval") {
          (void)Call(port, "POST",
                     "/api/v1/pipeline/runs/" + id + "/steps/" + step["stage"].get<std::string>() +
                         "/approve",
                     reviewer);
        }
      }
    } else if (status != "pending" && status != "running") {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return status;
}

class ContentWorkflowE2E : public ::testing::TestWithParam<Backend> {};

TEST_P(ContentWorkflowE2E, EditorialFlowThroughTheApiLayer) {
  HcmsProcess s({.backend = GetParam(), .extra_toml = "[log]\naccess_log = false\n"});
  Staff writer = MakeUser(s, "autora@clinica.test", "contributor");
  Staff reviewer = MakeUser(s, "revisor@clinica.test", "reviewer");
  Staff doctor = MakeUser(s, "medica@clinica.test", "doctor", /*mfa=*/true);
  Staff password_only = MakeUser(s, "medico@clinica.test", "doctor");
  const int port = s.port();

  auto created = Call(port, "POST", "/api/v1/posts", writer,
                      R"({"title":"Hipertensão","content":"<p onclick=x>Meça a pressão.</p>"})");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const auto post = nlohmann::json::parse(created->body);
  EXPECT_EQ(post["status"], "draft");
  EXPECT_EQ(post["content"], "<p>Meça a pressão.</p>");
  const std::string base = "/api/v1/posts/" + std::to_string(post["id"].get<int64_t>());
  // Drafts are not public.
  EXPECT_EQ(Request(port, "GET", base)->status, 404);

  // A reviewer cannot publish (the policy engine refuses the route).
  auto denied = Call(port, "POST", base + "/publish", reviewer);
  EXPECT_EQ(denied->status, 403) << denied->body;
  EXPECT_EQ(Call(port, "POST", base + "/submit", writer)->status, 200);
  auto reject = Call(port, "POST", base + "/reject", reviewer);
  EXPECT_EQ(reject->status, 400) << reject->body;
  EXPECT_EQ(nlohmann::json::parse(reject->body)["code"], "comment_required");
  EXPECT_EQ(
      Call(port, "POST", base + "/reject", reviewer, R"({"comment":"Cite a fonte."})")->status,
      200);
  EXPECT_EQ(Call(port, "PATCH", base, writer, R"({"content":"<p>Fonte: SBC 2020.</p>"})")->status,
            200);
  EXPECT_EQ(Call(port, "POST", base + "/submit", writer)->status, 200);
  auto approved = Call(port, "POST", base + "/approve", reviewer);
  ASSERT_EQ(approved->status, 200) << approved->body;
  EXPECT_EQ(nlohmann::json::parse(approved->body)["status"], "approved");

  // Publishing: the doctor role and a trust score of 85. A password-only session
  // scores lower: the policy engine asks for MFA and nothing is published.
  auto weak = Call(port, "POST", base + "/publish", password_only);
  ASSERT_TRUE(weak);
  EXPECT_TRUE(weak->status == 401 || weak->status == 403) << weak->body;
  EXPECT_EQ(Request(port, "GET", base)->status, 404);
  // ... and a completed pipeline run of this revision (the responsible physician
  // the pipeline prints is a practice setting).
  Staff admin = MakeUser(s, "admin@clinica.test", "practice_admin", /*mfa=*/true);
  auto settings = Call(port, "PUT", "/api/v1/pipeline/settings", admin,
                       R"({"physician":{"name":"Ana Souza","crm":"123456","uf":"SP"}})");
  ASSERT_EQ(settings->status, 200) << settings->body;
  ASSERT_EQ(PassPipeline(port, base, writer, reviewer), "completed");
  auto publish = Call(port, "POST", base + "/publish", doctor);
  ASSERT_TRUE(publish);
  ASSERT_EQ(publish->status, 200) << publish->body;
  EXPECT_EQ(nlohmann::json::parse(publish->body)["status"], "publish");
  EXPECT_EQ(Request(port, "GET", base)->status, 200);

  // History, revisions and a diff.
  auto history = nlohmann::json::parse(Call(port, "GET", base + "/transitions", reviewer)->body);
  ASSERT_EQ(history["items"].size(), 5u);  // submit, reject, submit, approve, publish
  EXPECT_EQ(history["items"][1]["comment"], "Cite a fonte.");
  auto revisions = nlohmann::json::parse(Call(port, "GET", base + "/revisions", doctor)->body);
  ASSERT_EQ(revisions["items"].size(), 2u);
  const auto newest = revisions["items"][0]["id"].get<int64_t>();
  const auto oldest = revisions["items"][1]["id"].get<int64_t>();
  auto diff = Call(
      port, "GET",
      base + "/revisions/" + std::to_string(oldest) + "/diff/" + std::to_string(newest), doctor);
  ASSERT_EQ(diff->status, 200) << diff->body;
  EXPECT_EQ(nlohmann::json::parse(diff->body)["lines"].size(), 2u);
  // Bad input on the write routes.
  auto bad = Call(port, "POST", "/api/v1/posts", writer, R"({"title":5,"format":"docx"})");
  EXPECT_EQ(bad->status, 422) << bad->body;
  EXPECT_EQ(nlohmann::json::parse(bad->body)["code"], "validation_failed");
  auto not_json =
      Request(port, "POST", "/api/v1/posts", "{",
              "Authorization: Bearer " + writer.token + "\r\nContent-Type: application/json\r\n");
  EXPECT_EQ(not_json->status, 400);
  // The contributor cannot touch the approved post any more.
  auto other = Call(port, "PATCH", base, writer, R"({"title":"x"})");
  EXPECT_EQ(other->status, 403) << other->body;
}

// The anonymous response cache (api/public_cache.h): hits are served, conditional
// requests get 304, and no change is followed by an old answer: one made through the
// server shows at once, one committed by another process (the CLI) within the
// recheck interval; callers with credentials never get a cached answer.
TEST_P(ContentWorkflowE2E, AnonymousCacheNeverServesStaleContent) {
  HcmsProcess s({.backend = GetParam(), .extra_toml = "[log]\naccess_log = false\n"});
  const int port = s.port();
  auto get = [&](const std::string& target, const std::string& headers = {}) {
    auto r = Request(port, "GET", target, {}, headers);
    if (!r) throw std::runtime_error("no response for " + target);
    return *r;
  };
  const std::string list = "/wp-json/wp/v2/posts?per_page=5";
  auto first = get(list);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Header("x-wp-total"), "0");
  EXPECT_EQ(first.Header("x-hcms-cache"), "miss");
  auto second = get(list);
  EXPECT_EQ(second.Header("x-hcms-cache"), "hit");
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.Header("x-wp-total"), "0");

  // Another process commits a change: the cache sees it within the recheck interval
  // (1 s by default), because the database's generation moved.
  auto imported = s.Cli(
      {"import", "wxr", SourceDir() + "/tests/data/wxr/wxr-1.2-https.xml", "--tenant", "default"});
  ASSERT_EQ(imported.status, 0) << imported.err;
  std::string total = "0";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (total == "0" && std::chrono::steady_clock::now() < deadline) {
    total = get(list).Header("x-wp-total");
    if (total == "0") std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_NE(total, "0");
  const auto posts = nlohmann::json::parse(get(list).body);
  ASSERT_FALSE(posts.empty());
  const std::string id = std::to_string(posts[0]["id"].get<int64_t>());
  const std::string link = posts[0]["link"];
  const std::string path = link.substr(link.find('/', link.find("//") + 2));

  // Cached single post and public page; conditional requests and HEAD.
  const std::string single = "/wp-json/wp/v2/posts/" + id;
  ASSERT_EQ(get(single).status, 200);
  auto cached = get(single);
  ASSERT_EQ(cached.Header("x-hcms-cache"), "hit");
  const std::string etag = cached.Header("etag");
  ASSERT_FALSE(etag.empty());
  auto not_modified = get(single, "If-None-Match: " + etag + "\r\n");
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
  EXPECT_EQ(not_modified.Header("etag"), etag);
  EXPECT_EQ(get(single, "If-None-Match: \"other\"\r\n").status, 200);
  // Clients that accept gzip get the cached compressed form, with the same validator.
  auto gz = get(single, "Accept-Encoding: gzip, deflate, br\r\n");
  ASSERT_EQ(gz.status, 200);
  EXPECT_EQ(gz.Header("x-hcms-cache"), "hit");
  EXPECT_EQ(gz.Header("content-encoding"), "gzip");
  EXPECT_EQ(gz.Header("vary"), "Accept-Encoding");
  EXPECT_EQ(gz.Header("etag"), etag);
  EXPECT_LT(gz.body.size(), cached.body.size());
  EXPECT_EQ(Gunzip(gz.body), cached.body);
  EXPECT_EQ(get(single, "Accept-Encoding: gzip\r\nIf-None-Match: " + etag + "\r\n").status, 304);
  EXPECT_EQ(cached.Header("vary"), "Accept-Encoding");
  EXPECT_FALSE(cached.HasHeader("content-encoding"));
  auto head = Request(port, "HEAD", single);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  EXPECT_EQ(head->Header("content-length"), std::to_string(cached.body.size()));
  ASSERT_EQ(get(path, "Accept: text/html\r\n").status, 200);
  EXPECT_EQ(get(path, "Accept: text/html\r\n").Header("x-hcms-cache"), "hit");

  // Credentials bypass the cache: staff never get, and never fill, shared answers.
  Staff admin = MakeUser(s, "admin@clinica.test", "practice_admin");
  auto staff = Request(port, "GET", single, {}, "Authorization: Bearer " + admin.token + "\r\n");
  ASSERT_TRUE(staff);
  EXPECT_EQ(staff->status, 200);
  EXPECT_FALSE(staff->HasHeader("x-hcms-cache"));
  EXPECT_EQ(staff->Header("cache-control"), "no-store");
  // ... and answers for them are never compressed (tokens and drafts: BREACH).
  auto staff_gz = Request(port, "GET", single, {},
                          "Authorization: Bearer " + admin.token + "\r\nAccept-Encoding: gzip\r\n");
  ASSERT_TRUE(staff_gz);
  EXPECT_EQ(staff_gz->status, 200);
  EXPECT_FALSE(staff_gz->HasHeader("content-encoding"));

  // A change made through the server shows at once: no waiting, no stale hit.
  auto trashed = Call(port, "POST", "/api/v1/posts/" + id + "/trash", admin);
  ASSERT_TRUE(trashed);
  ASSERT_EQ(trashed->status, 200) << trashed->body;
  EXPECT_EQ(get(single).status, 404);
  EXPECT_EQ(get(path, "Accept: text/html\r\n").status, 404);
  EXPECT_EQ(get(list).Header("x-wp-total"), std::to_string(std::stoi(total) - 1));
  auto restored = Call(port, "POST", "/api/v1/posts/" + id + "/restore", admin);
  ASSERT_EQ(restored->status, 200) << restored->body;
  EXPECT_EQ(get(list).Header("x-wp-total"), std::to_string(std::stoi(total) - 1));  // a draft now

  // The cache's figures are on /metrics.
  auto metrics = get("/metrics");
  EXPECT_THAT(metrics.body, HasSubstr("hcms_public_cache_lookups_total{result=\"hit\"}"));
}

// Signed-in reads skip the response cache but reuse serialised posts
// (api::WpPostJsonCache): every change shows at once, the context and the reader's
// rights still apply.
TEST_P(ContentWorkflowE2E, SignedInReadsSeeEveryChangeThroughKeptPostJson) {
  HcmsProcess s({.backend = GetParam(), .extra_toml = "[log]\naccess_log = false\n"});
  const int port = s.port();
  Staff admin = MakeUser(s, "admin@clinica.test", "practice_admin");
  Staff other = MakeUser(s, "colaboradora@clinica.test", "contributor");
  auto created = Call(port, "POST", "/wp-json/wp/v2/posts", admin,
                      R"({"title":"Primeiro título","content":"<p>Texto.</p>"})");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const int64_t id = json::parse(created->body)["id"];
  const std::string single = "/wp-json/wp/v2/posts/" + std::to_string(id);
  const std::string list = "/wp-json/wp/v2/posts?status=draft";
  auto read = [&](const std::string& target, const Staff& who = {}) {
    auto r = Call(port, "GET", target, who.token.empty() ? admin : who);
    if (!r || r->status != 200) throw std::runtime_error(target + ": " + (r ? r->body : "none"));
    return *r;
  };

  const auto first = read(single);
  EXPECT_EQ(read(single).body, first.body);  // the kept text is what was made
  EXPECT_EQ(json::parse(first.body)["title"]["rendered"], "Primeiro título");
  EXPECT_EQ(json::parse(read(list).body)[0]["title"]["rendered"], "Primeiro título");
  const int64_t revisions = json::parse(first.body)["_links"]["version-history"][0]["count"];

  // An edit shows in the single post and the list, with the new revision counted.
  auto edited =
      Call(port, "POST", single, admin, R"({"title":"Segundo título","content":"<p>Novo.</p>"})");
  ASSERT_EQ(edited->status, 200) << edited->body;
  const auto after = json::parse(read(single).body);
  EXPECT_EQ(after["title"]["rendered"], "Segundo título");
  EXPECT_THAT(after["content"]["rendered"].get<std::string>(), HasSubstr("Novo."));
  EXPECT_EQ(after["_links"]["version-history"][0]["count"], revisions + 1);
  EXPECT_EQ(json::parse(read(list).body)[0]["title"]["rendered"], "Segundo título");

  // A new category given to the post shows in its categories.
  auto category =
      Call(port, "POST", "/wp-json/wp/v2/categories", admin, R"({"name":"Cardiologia infantil"})");
  ASSERT_EQ(category->status, 201) << category->body;
  const int64_t category_id = json::parse(category->body)["id"];
  auto tagged =
      Call(port, "POST", single, admin, json({{"categories", json::array({category_id})}}).dump());
  ASSERT_EQ(tagged->status, 200) << tagged->body;
  EXPECT_EQ(json::parse(read(single).body)["categories"], json::array({category_id}));
  EXPECT_EQ(json::parse(read(list).body)[0]["categories"], json::array({category_id}));

  // The context keeps its own text: edit has the raw fields, view does not.
  const auto edit = json::parse(read(single + "?context=edit").body);
  EXPECT_EQ(edit["title"]["raw"], "Segundo título");
  EXPECT_FALSE(json::parse(read(single).body)["title"].contains("raw"));
  // _fields and _embed are built for the request.
  EXPECT_EQ(json::parse(read(single + "?_fields=id,title").body).size(), 2u);

  // Another reader's rights are checked before any kept text is used.
  auto foreign = Call(port, "GET", single, other);
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 403);
  const auto theirs = read(list, other);
  EXPECT_TRUE(json::parse(theirs.body).empty());
  // ... and the totals count only what they may see, not the others' drafts.
  EXPECT_EQ(theirs.Header("x-wp-total"), "0");
  auto own = Call(port, "POST", "/wp-json/wp/v2/posts", other, R"({"title":"Rascunho meu"})");
  ASSERT_EQ(own->status, 201) << own->body;
  const auto mine = read(list, other);
  EXPECT_EQ(mine.Header("x-wp-total"), "1");
  ASSERT_EQ(json::parse(mine.body).size(), 1u);
  EXPECT_EQ(json::parse(mine.body)[0]["title"]["rendered"], "Rascunho meu");
  EXPECT_EQ(read(list).Header("x-wp-total"), "2");  // the administrator sees both
  auto native = Call(port, "GET", "/api/v1/posts?status=draft", other);
  ASSERT_EQ(native->status, 200) << native->body;
  EXPECT_EQ(json::parse(native->body)["total"], 1);

  // The source as written (before the pipeline anonymised it) is for who may edit
  // the post and reviewers: others read the rendered text only.
  Staff reader = MakeUser(s, "leitora@clinica.test", "reader");
  auto imported = s.Cli(
      {"import", "wxr", SourceDir() + "/tests/data/wxr/wxr-1.2-https.xml", "--tenant", "default"});
  ASSERT_EQ(imported.status, 0) << imported.err;
  const auto published = json::parse(read("/wp-json/wp/v2/posts?per_page=1", reader).body);
  ASSERT_EQ(published.size(), 1u);
  const std::string public_single =
      "/wp-json/wp/v2/posts/" + std::to_string(published[0]["id"].get<int64_t>());
  EXPECT_FALSE(published[0]["content"].contains("raw"));
  for (const Staff* who : {&other, &reader}) {
    auto denied = Call(port, "GET", public_single + "?context=edit", *who);
    ASSERT_TRUE(denied);
    EXPECT_EQ(denied->status, 403) << who->email;
    EXPECT_EQ(json::parse(denied->body)["code"], "rest_forbidden_context");
    EXPECT_EQ(denied->body.find("\"raw\""), std::string::npos);
    const auto listed =
        json::parse(read("/wp-json/wp/v2/posts?context=edit&per_page=100", *who).body);
    ASSERT_FALSE(listed.empty());
    for (const auto& p : listed) {  // all published, by the imported authors
      EXPECT_FALSE(p["content"].contains("raw")) << who->email << " " << p["id"];
      EXPECT_FALSE(p.contains("compliance_level")) << who->email;
    }
    auto source = Call(port, "GET",
                       "/api/v1/posts/" + std::to_string(published[0]["id"].get<int64_t>()), *who);
    ASSERT_EQ(source->status, 200) << source->body;
    EXPECT_FALSE(json::parse(source->body).contains("content")) << who->email;
  }
  // Nobody signed in: 401, as WordPress answers.
  for (const std::string& target :
       {public_single + "?context=edit", std::string("/wp-json/wp/v2/posts?context=edit")}) {
    auto anonymous = Request(port, "GET", target);
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(anonymous->status, 401) << target;
    EXPECT_EQ(json::parse(anonymous->body)["code"], "rest_forbidden_context") << target;
  }
  // The administrator still reads the source.
  const auto admin_edit = json::parse(read(public_single + "?context=edit").body);
  EXPECT_TRUE(admin_edit["content"].contains("raw"));
  auto admin_source = Call(
      port, "GET", "/api/v1/posts/" + std::to_string(published[0]["id"].get<int64_t>()), admin);
  EXPECT_TRUE(json::parse(admin_source->body).contains("content"));

  auto metrics = Request(port, "GET", "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_THAT(metrics->body, HasSubstr("hcms_post_json_cache_lookups_total{result=\"hit\"}"));
  EXPECT_THAT(metrics->body,
              ::testing::Not(HasSubstr("hcms_post_json_cache_lookups_total{result=\"hit\"} 0\n")));
}

TEST_P(ContentWorkflowE2E, WordPressClientWritesWithAnApplicationPassword) {
  // Lists, filters and pages over the shared 1,000-post export, as the suite does.
  if (!std::filesystem::exists(WpExport())) GTEST_SKIP() << "missing " << WpExport();
  HcmsProcess s({.backend = GetParam(), .extra_toml = "[log]\naccess_log = false\n"});
  Staff doctor = MakeUser(s, "medica@clinica.test", "doctor", /*mfa=*/true);
  auto app =
      Call(s.port(), "POST", "/api/v1/users/me/app-passwords", doctor, R"({"name":"wpapi"})");
  ASSERT_TRUE(app);
  ASSERT_EQ(app->status, 201) << app->body;
  const std::string password = nlohmann::json::parse(app->body)["password"];
  auto imported = s.Cli({"import", "wxr", WpExport(), "--tenant", "default"});
  ASSERT_EQ(imported.status, 0) << imported.err;
  SpawnOptions o;
  o.argv = {"/usr/bin/env", "node", SourceDir() + "/tests/js/wpapi_client.mjs",
            "http://127.0.0.1:" + std::to_string(s.port())};
  o.env = CleanEnvironment();
  o.env["WP_AUTH"] = doctor.email + ":" + password;
  auto r = RunProcess(o, std::chrono::seconds(120));
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("create, update and delete a draft"));
  EXPECT_THAT(r.out, HasSubstr(" passed, 0 failed"));
}

TEST_P(ContentWorkflowE2E, CommentsAndMediaMatchWordPressShapes) {
  HcmsProcess s({.backend = GetParam(), .extra_toml = "[log]\naccess_log = false\n"});
  auto imported =
      s.Cli({"import", "wxr", SourceDir() + "/tests/data/wxr/wxr-1.2-https.xml", "--tenant",
             "default", "--uploads", SourceDir() + "/tests/data/wxr/uploads"});
  ASSERT_EQ(imported.status, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("nav_menu_item"));  // skipped, with the reason
  for (const char* name : {"comments", "media"}) {
    const nlohmann::json wp = nlohmann::json::parse(Fixture(std::string("wp/") + name + ".json"));
    auto r = Request(s.port(), "GET", std::string("/wp-json/wp/v2/") + name);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    const auto ours = nlohmann::json::parse(r->body);
    ASSERT_FALSE(ours.empty()) << name;
    EXPECT_EQ(Keys(ours[0]), Keys(wp[0])) << name;
    ExpectSameShape(wp, ours, name);
  }
  // Only the approved comment is public; the commenter's e-mail never is.
  auto comments = Request(s.port(), "GET", "/wp-json/wp/v2/comments");
  EXPECT_EQ(nlohmann::json::parse(comments->body).size(), 1u);
  EXPECT_THAT(comments->body, ::testing::Not(HasSubstr("@example.com")));
  // The imported file is served from /media with the old path.
  auto media = nlohmann::json::parse(Request(s.port(), "GET", "/wp-json/wp/v2/media")->body);
  const std::string url = media[0]["source_url"];
  auto file = Request(s.port(), "GET", url.substr(url.find("/media/")));
  ASSERT_TRUE(file);
  EXPECT_EQ(file->status, 200);
  EXPECT_EQ(file->Header("content-type"), "image/jpeg");
  EXPECT_EQ(Request(s.port(), "GET", "/media/../hcms.db")->status, 404);
  // The post shows its approved comment on the public site.
  auto page = Request(s.port(), "GET", "/2020/05/arritmia-quando-procurar/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("Muito útil!"));
  EXPECT_THAT(page->body, ::testing::Not(HasSubstr("<script>alert(1)")));
}

TEST_P(ContentWorkflowE2E, MediaUploadStoresTheFileAndListsIt) {
  HcmsProcess s({.backend = GetParam(), .extra_toml = "[log]\naccess_log = false\n"});
  Staff writer = MakeUser(s, "autora@clinica.test", "contributor");
  Staff reader = MakeUser(s, "leitor@clinica.test", "reader");
  const int port = s.port();
  // A 1x1 PNG; the type comes from these bytes, not from the name.
  const std::string png_b64 =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+"
      "M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
  auto up = Call(port, "POST", "/api/v1/media", writer,
                 R"({"filename":"consultorio.jpg","data_base64":")" + png_b64 +
                     R"(","title":"Sala de espera"})");
  ASSERT_TRUE(up);
  ASSERT_EQ(up->status, 201) << up->body;
  const auto rec = nlohmann::json::parse(up->body);
  EXPECT_EQ(rec["mime_type"], "image/png");
  EXPECT_EQ(rec["title"], "Sala de espera");
  const std::string url = rec["source_url"];
  EXPECT_THAT(url, ::testing::MatchesRegex("/media/uploads/[0-9]{4}/[0-9]{2}/[0-9a-f-]+\\.png"));
  EXPECT_EQ(up->Header("location"),
            "/wp-json/wp/v2/media/" + std::to_string(rec["id"].get<int64_t>()));

  auto file = Request(port, "GET", url);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->status, 200);
  EXPECT_EQ(file->Header("content-type"), "image/png");
  EXPECT_EQ(file->body.substr(0, 4), "\x89PNG");
  auto listed = nlohmann::json::parse(Request(port, "GET", "/wp-json/wp/v2/media")->body);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], rec["id"]);
  EXPECT_EQ(listed[0]["mime_type"], "image/png");

  // Bad input: not an accepted type, not base64, missing fields, no permission, no login.
  auto html = Call(port, "POST", "/api/v1/media", writer,
                   R"({"filename":"x.png","data_base64":"PHNjcmlwdD4="})");
  EXPECT_EQ(nlohmann::json::parse(html->body)["code"], "media_type_not_allowed") << html->body;
  EXPECT_EQ(html->Header("content-type"), "application/problem+json");
  auto garbage =
      Call(port, "POST", "/api/v1/media", writer, R"({"filename":"x.png","data_base64":"@@@"})");
  EXPECT_EQ(nlohmann::json::parse(garbage->body)["code"], "invalid_base64");
  auto missing = Call(port, "POST", "/api/v1/media", writer, R"({"filename":"x.png"})");
  EXPECT_EQ(missing->status, 422);
  EXPECT_EQ(nlohmann::json::parse(missing->body)["code"], "validation_failed");
  auto denied = Call(port, "POST", "/api/v1/media", reader,
                     R"({"filename":"x.png","data_base64":")" + png_b64 + R"("})");
  EXPECT_EQ(denied->status, 403);
  auto anonymous = Request(port, "POST", "/api/v1/media", R"({"filename":"x.png"})",
                           "Content-Type: application/json\r\n");
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(nlohmann::json::parse(Request(port, "GET", "/wp-json/wp/v2/media")->body).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ContentWorkflowE2E,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& p) { return BackendName(p.param); });

}  // namespace
}  // namespace hcms::testing
