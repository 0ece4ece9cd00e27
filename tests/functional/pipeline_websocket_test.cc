// Pipeline progress over WebSocket (RFC 6455) through the real binary: the same
// route as the Server-Sent Events (/api/v1/pipeline/runs/{id}/events), the same
// authentication and policy check, the Origin check against cross-site WebSocket
// hijacking, all answered before the upgrade; then the run's events in order.

#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "tests/functional/security_env.h"
#include "tests/support/db_fixture.h"
#include "tests/support/websocket_client.h"

namespace hcms::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// RFC 6455 section 4.2.2: base64(SHA-1(key + GUID)).
std::string ExpectedAccept(const std::string& key) {
  const std::string in = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(in.data()), in.size(), digest);
  unsigned char out[64] = {};
  const int n = EVP_EncodeBlock(out, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

class PipelineWebSocketTest : public ::testing::TestWithParam<Backend> {
 protected:
  SecurityEnv& env() { return SecurityEnv::Get(GetParam()); }
  int port() { return env().server().port(); }

  HttpResponse Call(std::string_view method, std::string_view target, const json& body,
                    const std::string& token, const std::string& host = "a.test") {
    return env().Call(method, target, body.is_null() ? "" : body.dump(),
                      {.token = token, .host = host});
  }

  // A browser session (cookies), as the admin UI has: "Cookie: ...\r\n".
  std::string CookieHeader(const std::string& tenant, const std::string& role) {
    auto r = env().Call(
        "POST", "/api/v1/auth/login",
        json{{"email", env().Email(tenant, role)},
             {"password", env().Password()},
             {"session", "cookie"}}
            .dump(),
        {.host = tenant + ".test",
         .extra_headers = "X-Device-Id: device-" + tenant + "-" + role + "-0123456789\r\n"});
    EXPECT_EQ(r.status, 200) << r.body;
    std::string cookies;
    for (auto [it, end] = r.headers.equal_range("set-cookie"); it != end; ++it) {
      const std::string& c = it->second;
      if (c.rfind("hcms_access=", 0) == 0) cookies = c.substr(0, c.find(';'));
    }
    EXPECT_FALSE(cookies.empty());
    return "Cookie: " + cookies + "\r\n";
  }

  json WaitRun(const std::string& id, const std::string& token) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    json run;
    while (std::chrono::steady_clock::now() < deadline) {
      run = Json(Call("GET", "/api/v1/pipeline/runs/" + id, nullptr, token));
      const std::string status = run.value("status", "");
      if (status != "pending" && status != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return run;
  }

  // A run waiting for a reviewer at S.1.2 ("Estudos mostram" needs review).
  std::string RunAwaitingReview() {
    if (!env().totp_secrets.contains("a/practice_admin")) env().EnableMfa("a", "practice_admin");
    const std::string admin = env().Login("a", "practice_admin").access;
    EXPECT_EQ(Call("PUT", "/api/v1/pipeline/settings",
                   {{"physician", {{"name", "Ana Souza"}, {"crm", "123456"}, {"uf", "SP"}}}}, admin)
                  .status,
              200);
    const std::string editor = env().Login("a", "editor").access;
    // Runs are of stored posts: the pipeline reads the saved text.
    auto post = Call("POST", "/api/v1/posts",
                     {{"title", "Sono"},
                      {"content", "<p>Estudos mostram que dormir bem protege o coração.</p>"}},
                     editor);
    EXPECT_EQ(post.status, 201) << post.body;
    const int64_t post_id = Json(post).value("id", int64_t{0});
    auto started = Call("POST", "/api/v1/pipeline/runs", {{"post_id", post_id}}, editor);
    EXPECT_EQ(started.status, 202) << started.body;
    const std::string run_id = Json(started).value("id", "");
    EXPECT_EQ(WaitRun(run_id, editor)["status"], "needs_approval");
    return run_id;
  }

  // Text messages until one matches `stop` (event name and data.status), a close
  // frame or the timeout. Pings are answered by the client.
  std::vector<json> ReadUntil(WebSocketClient& ws, std::string_view event, std::string_view status,
                              std::optional<WebSocketClient::Message>* close = nullptr) {
    std::vector<json> out;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      auto m = ws.Next(std::chrono::seconds(30));
      if (!m) break;
      if (m->kind == WebSocketClient::Kind::kClose) {
        if (close != nullptr) *close = m;
        break;
      }
      if (m->kind != WebSocketClient::Kind::kText) continue;
      json j = json::parse(m->data);
      out.push_back(j);
      if (j["event"] == event && j["data"].value("status", "") == status) break;
    }
    return out;
  }
};

std::vector<std::string> Names(const std::vector<json>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) {
    std::string name = e["event"];
    if (e["data"].contains("stage")) name += ":" + e["data"]["stage"].get<std::string>();
    if (e["event"] != "step_started") name += "=" + e["data"].value("status", "");
    out.push_back(name);
  }
  return out;
}

TEST_P(PipelineWebSocketTest, ProgressArrivesInOrderUntilApprovalAndCompletion) {
  const std::string run_id = RunAwaitingReview();
  const std::string target = "/api/v1/pipeline/runs/" + run_id + "/events";
  const std::string cookie = CookieHeader("a", "editor");
  WebSocketClient ws(port(), target, "Host: a.test\r\nOrigin: http://a.test\r\n" + cookie);
  ASSERT_EQ(ws.handshake().status, 101) << ws.handshake().body;
  EXPECT_EQ(ws.handshake().Header("sec-websocket-accept"), ExpectedAccept(ws.key()));
  EXPECT_FALSE(ws.handshake().Header("x-request-id").empty());

  // The current state first; a ping is answered while nothing else happens.
  auto first = ws.Next(std::chrono::seconds(10));
  ASSERT_TRUE(first);
  ASSERT_EQ(first->kind, WebSocketClient::Kind::kText);
  const json state = json::parse(first->data);
  EXPECT_EQ(state["event"], "run");
  EXPECT_EQ(state["data"]["id"], run_id);
  EXPECT_EQ(state["data"]["status"], "needs_approval");
  ASSERT_TRUE(ws.SendPing("alive?"));
  auto pong = ws.Next(std::chrono::seconds(10));
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->kind, WebSocketClient::Kind::kPong);
  EXPECT_EQ(pong->data, "alive?");
  ASSERT_TRUE(ws.SendText("ignored: the stream is server-to-client"));

  const std::string reviewer = env().Login("a", "reviewer").access;
  ASSERT_EQ(Call("POST", "/api/v1/pipeline/runs/" + run_id + "/steps/s1.2/approve", json::object(),
                 reviewer)
                .status,
            200);
  auto until_review = ReadUntil(ws, "run_finished", "needs_approval");
  EXPECT_THAT(Names(until_review),
              ::testing::IsSupersetOf({"step_started:s1.3", "step_finished:s1.3=completed",
                                       "step_started:s1.4", "step_finished:s1.4=needs_approval",
                                       "run_finished=needs_approval"}));
  const auto names = Names(until_review);
  auto pos = [&](const std::string& n) { return std::find(names.begin(), names.end(), n); };
  EXPECT_LT(pos("step_started:s1.3"), pos("step_finished:s1.3=completed"));
  EXPECT_LT(pos("step_finished:s1.3=completed"), pos("step_started:s1.4"));
  EXPECT_LT(pos("step_started:s1.4"), pos("step_finished:s1.4=needs_approval"));
  EXPECT_EQ(names.back(), "run_finished=needs_approval");

  ASSERT_EQ(Call("POST", "/api/v1/pipeline/runs/" + run_id + "/steps/s1.4/approve", json::object(),
                 reviewer)
                .status,
            200);
  std::optional<WebSocketClient::Message> close;
  auto rest = ReadUntil(ws, "", "", &close);
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(Names(rest).back(), "run_finished=completed");
  EXPECT_THAT(Names(rest), ::testing::Contains("step_finished:s1.5=completed"));
  ASSERT_TRUE(close);  // the server ends the conversation when the run ends
  EXPECT_EQ(close->close_code, 1000);
  EXPECT_TRUE(ws.WaitClosed(std::chrono::seconds(10)));

  // A finished run: its state, then a normal close at once.
  WebSocketClient done(port(), target, "Host: a.test\r\nOrigin: http://a.test\r\n" + cookie);
  ASSERT_EQ(done.handshake().status, 101);
  auto last = ReadUntil(done, "", "", &close);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0]["data"]["status"], "completed");
  ASSERT_TRUE(close);
  EXPECT_EQ(close->close_code, 1000);
}

TEST_P(PipelineWebSocketTest, RefusalsComeAsHttpProblemsBeforeTheUpgrade) {
  const std::string run_id = RunAwaitingReview();
  const std::string target = "/api/v1/pipeline/runs/" + run_id + "/events";
  const std::string cookie = CookieHeader("a", "editor");

  // No session: 401, and no upgrade.
  WebSocketClient anonymous(port(), target, "Host: a.test\r\nOrigin: http://a.test\r\n");
  EXPECT_EQ(anonymous.handshake().status, 401);
  EXPECT_EQ(anonymous.handshake().Header("content-type"), "application/problem+json");
  EXPECT_FALSE(anonymous.handshake().HasHeader("sec-websocket-accept"));
  EXPECT_EQ(Json(anonymous.handshake())["code"], "unauthenticated");

  // A valid session cookie from a page on another site: cross-site WebSocket
  // hijacking, refused whatever the credentials.
  for (const std::string origin :
       {"http://evil.example", "http://a.test.evil.example", "null", "https://a.test"}) {
    WebSocketClient hijack(port(), target, "Host: a.test\r\nOrigin: " + origin + "\r\n" + cookie);
    EXPECT_EQ(hijack.handshake().status, 403) << origin;
    EXPECT_EQ(Json(hijack.handshake())["code"], "websocket_origin_denied") << origin;
    EXPECT_FALSE(hijack.handshake().HasHeader("sec-websocket-accept"));
  }
  // The site's public URL is an allowed origin too (here http://127.0.0.1:<port>).
  WebSocketClient site(
      port(), target,
      "Host: a.test\r\nOrigin: http://127.0.0.1:" + std::to_string(port()) + "\r\n" + cookie);
  EXPECT_EQ(site.handshake().status, 101) << site.handshake().body;

  // Policy: a reader may read content; a foreign practice's run is not found.
  const std::string other = CookieHeader("b", "editor");
  WebSocketClient foreign(port(), target, "Host: b.test\r\nOrigin: http://b.test\r\n" + other);
  EXPECT_EQ(foreign.handshake().status, 404);
  EXPECT_EQ(Json(foreign.handshake())["code"], "pipeline_run_not_found");

  // Malformed handshakes never reach the route.
  auto raw = [&](const std::string& headers) {
    Connection c(port());
    EXPECT_TRUE(c.Send("GET " + target + " HTTP/1.1\r\nHost: a.test\r\n" + headers + "\r\n"));
    auto r = c.Read();
    return r ? *r : HttpResponse{};
  };
  auto no_key = raw("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n");
  EXPECT_EQ(no_key.status, 400);
  EXPECT_EQ(Json(no_key)["code"], "websocket_handshake_invalid");
  auto bad_key =
      raw("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: short\r\n"
          "Sec-WebSocket-Version: 13\r\n");
  EXPECT_EQ(Json(bad_key)["code"], "websocket_handshake_invalid");
  auto no_connection =
      raw("Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n");
  EXPECT_EQ(no_connection.status, 400);
  auto old_version = raw(
      "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 8\r\n");
  EXPECT_EQ(old_version.status, 426);
  EXPECT_EQ(old_version.Header("sec-websocket-version"), "13");
  EXPECT_EQ(Json(old_version)["code"], "websocket_version_unsupported");
  // The server is still there after all of the above.
  std::optional<HttpResponse> health;
  try {
    health = Request(port(), "GET", "/health");
  } catch (const std::exception&) {
  }
  ASSERT_TRUE(health) << "the server died; its log ends with:\n"
                      << env().server().Stderr().substr(env().server().Stderr().size() > 4000
                                                            ? env().server().Stderr().size() - 4000
                                                            : 0);
  EXPECT_EQ(health->status, 200);
}

HCMS_INSTANTIATE_BACKENDS(PipelineWebSocketTest);

}  // namespace
}  // namespace hcms::testing
