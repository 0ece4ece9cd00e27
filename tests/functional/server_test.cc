// The real binary answering bad input: each limit of issue #2 with its test.

#include <regex>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/hcms_process.h"
#include "tests/support/http_client.h"

namespace hcms::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Checks the RFC 9457 shape and returns the parsed body.
nlohmann::json ExpectProblem(const std::optional<HttpResponse>& r, int status,
                             std::string_view code) {
  EXPECT_TRUE(r.has_value());
  if (!r) return {};
  EXPECT_EQ(r->status, status);
  EXPECT_EQ(r->Header("content-type"), "application/problem+json");
  auto j = nlohmann::json::parse(r->body, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r->body;
  if (j.is_discarded()) return {};
  EXPECT_EQ(j.value("status", 0), status);
  EXPECT_EQ(j.value("code", ""), code);
  EXPECT_EQ(j.value("type", ""), "urn:hcms:problem:" + std::string(code));
  EXPECT_FALSE(j.value("title", "").empty());
  EXPECT_EQ(j.value("request_id", ""), r->Header("x-request-id"));
  EXPECT_FALSE(j.value("request_id", "").empty());
  return j;
}

HcmsOptions Limits(std::string extra = {}) {
  HcmsOptions o;
  o.env = {{"HCMS_SERVER_MAX_BODY_BYTES", "2048"},
           {"HCMS_SERVER_MAX_HEADER_BYTES", "4096"},
           {"HCMS_SERVER_HEADER_TIMEOUT_MS", "400"},
           {"HCMS_SERVER_IO_THREADS", "1"},
           {"HCMS_SERVER_WORKER_THREADS", "1"}};
  o.extra_toml = std::move(extra);
  return o;
}

TEST(ServerBadInput, MalformedHttpIs400) {
  HcmsProcess s(Limits());
  for (const char* raw : {"GARBAGE\r\n\r\n", "GET /health HTTP/9.9\r\n\r\n",
                          "GET /health HTTP/1.1\r\nBad Header\r\n\r\n",
                          "GET /health HTTP/1.1\r\nContent-Length: nope\r\n\r\n"}) {
    Connection c(s.port());
    ASSERT_TRUE(c.Send(raw));
    ExpectProblem(c.Read(), 400, "malformed_request");
    EXPECT_TRUE(c.WaitClosed(std::chrono::seconds(3))) << raw;
  }
}

TEST(ServerBadInput, NonOriginFormTargetIs400) {
  HcmsProcess s(Limits());
  Connection c(s.port());
  ASSERT_TRUE(c.Send("GET health HTTP/1.1\r\nHost: x\r\n\r\n"));
  ExpectProblem(c.Read(), 400, "malformed_request");
}

TEST(ServerBadInput, BodyOverTheLimitIs413BeforeItIsRead) {
  HcmsProcess s(Limits());
  Connection c(s.port());
  // Declares 1 MB but sends only the head: the answer must not wait for the body.
  ASSERT_TRUE(
      c.Send("POST /api/v1/site HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Content-Length: 1048576\r\n\r\n"));
  ExpectProblem(c.Read(), 413, "body_too_large");
  EXPECT_TRUE(c.WaitClosed(std::chrono::seconds(5)));
}

TEST(ServerBadInput, ChunkedBodyOverTheLimitIs413) {
  HcmsProcess s(Limits());
  Connection c(s.port());
  std::string req = "POST /api/v1/site HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) req += "400\r\n" + std::string(1024, 'a') + "\r\n";
  req += "0\r\n\r\n";
  ASSERT_TRUE(c.Send(req));
  ExpectProblem(c.Read(), 413, "body_too_large");
}

TEST(ServerBadInput, Expect100ContinueIsAnsweredWithinTheLimit) {
  HcmsProcess s(Limits());
  Connection c(s.port());
  ASSERT_TRUE(c.Send(
      "POST /health HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  // The client library skips the interim 100; send the body and get the real answer.
  ASSERT_TRUE(c.Send("hello"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
}

TEST(ServerBadInput, HeadersOverTheLimitAre431) {
  HcmsProcess s(Limits());
  Connection c(s.port());
  ASSERT_TRUE(
      c.Send("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8192, 'b') + "\r\n\r\n"));
  ExpectProblem(c.Read(), 431, "headers_too_large");
}

TEST(ServerBadInput, SlowHeadersGet408AndDoNotHoldTheServer) {
  HcmsProcess s(Limits());  // header timeout 400 ms, one I/O thread, one worker
  // Many slowloris connections, each trickling header bytes.
  std::vector<std::unique_ptr<Connection>> slow;
  for (int i = 0; i < 40; ++i) {
    slow.push_back(std::make_unique<Connection>(s.port()));
    ASSERT_TRUE(slow.back()->Send("GET /health HTTP/1.1\r\nHost: x\r\n"));
  }
  // The server keeps answering other clients meanwhile.
  auto ok = Request(s.port(), "GET", "/health");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  for (int i = 0; i < 3; ++i) {
    for (auto& c : slow) c->Send("X-Drip: 1\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // Each slow client gets 408 and is disconnected once the head deadline passes.
  for (auto& c : slow) {
    ExpectProblem(c->Read(), 408, "request_timeout");
    EXPECT_TRUE(c->WaitClosed(std::chrono::seconds(5)));
  }
}

TEST(ServerBadInput, ConnectionsOverTheLimitGet503WithRetryAfter) {
  HcmsOptions o = Limits();
  o.env["HCMS_SERVER_MAX_CONNECTIONS"] = "3";
  o.env["HCMS_SERVER_HEADER_TIMEOUT_MS"] = "20000";
  o.env["HCMS_SERVER_RETRY_AFTER_SECONDS"] = "2";
  HcmsProcess s(o);
  std::vector<std::unique_ptr<Connection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<Connection>(s.port()));
    ASSERT_TRUE(held.back()->Send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));  // keep-alive
    ASSERT_EQ(held.back()->Read()->status, 200);
  }
  Connection extra(s.port());
  auto r = extra.Read();
  auto j = ExpectProblem(r, 503, "too_many_connections");
  EXPECT_EQ(r->Header("retry-after"), "2");
  // Once a connection closes, new ones are accepted again.
  held.pop_back();
  std::optional<HttpResponse> again;
  for (int i = 0; i < 50 && !(again && again->status == 200); ++i) {
    again = Request(s.port(), "GET", "/health");
    if (!again || again->status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST(ServerBadInput, UnknownRouteIs404AndWrongMethodIs405WithAllow) {
  HcmsProcess s(Limits());
  ExpectProblem(Request(s.port(), "GET", "/nao-existe"), 404, "not_found");
  auto r = Request(s.port(), "DELETE", "/health");
  ExpectProblem(r, 405, "method_not_allowed");
  EXPECT_EQ(r->Header("allow"), "GET, HEAD");
}

TEST(ServerBadInput, ProblemTitlesFollowAcceptLanguage) {
  HcmsProcess s(Limits());
  auto pt = Request(s.port(), "GET", "/nao-existe");
  auto en = Request(s.port(), "GET", "/nao-existe", {}, "Accept-Language: en-US\r\n");
  EXPECT_EQ(nlohmann::json::parse(pt->body)["title"], "Recurso não encontrado");
  EXPECT_EQ(nlohmann::json::parse(en->body)["title"], "Not found");
}

TEST(ServerRequestId, EchoedWhenSafeGeneratedOtherwise) {
  HcmsProcess s(Limits());
  auto echoed = Request(s.port(), "GET", "/health", {}, "X-Request-Id: trace-abc.123\r\n");
  EXPECT_EQ(echoed->Header("x-request-id"), "trace-abc.123");
  auto unsafe =
      Request(s.port(), "GET", "/nao-existe", {}, "X-Request-Id: <script>alert(1)</script>\r\n");
  const std::string id = unsafe->Header("x-request-id");
  EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{32}"))) << id;
  EXPECT_EQ(nlohmann::json::parse(unsafe->body)["request_id"], id);
  auto generated = Request(s.port(), "GET", "/health");
  EXPECT_TRUE(std::regex_match(generated->Header("x-request-id"), std::regex("[0-9a-f]{32}")));
}

TEST(ServerHttp, HeadAnswersHeadersOnly) {
  HcmsProcess s(Limits());
  auto get = Request(s.port(), "GET", "/api/v1/site");
  auto head = Request(s.port(), "HEAD", "/api/v1/site");
  ASSERT_TRUE(get && head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  EXPECT_EQ(head->Header("content-length"), std::to_string(get->body.size()));
}

TEST(ServerHttp, SecurityHeadersAndDate) {
  HcmsProcess s(Limits());
  auto r = Request(s.port(), "GET", "/health");
  EXPECT_EQ(r->Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r->Header("server"), "hcms");
  EXPECT_THAT(r->Header("date"), HasSubstr("GMT"));
}

TEST(ServerAccessLog, JsonLinesWithoutQueryStringsBodiesOrFullAddresses) {
  HcmsProcess s(Limits());
  ASSERT_EQ(Request(s.port(), "GET", "/health?email=ana%40example.com&cpf=52998224725")->status,
            200);
  Request(s.port(), "POST", "/api/v1/site?token=abc", R"({"cpf":"529.982.247-25"})",
          "Content-Type: application/json\r\n");
  ASSERT_EQ(s.Stop(), 0);
  const std::string out = s.Stdout();
  EXPECT_THAT(out, Not(HasSubstr("ana")));
  EXPECT_THAT(out, Not(HasSubstr("52998224725")));
  EXPECT_THAT(out, Not(HasSubstr("529.982.247-25")));
  EXPECT_THAT(out, Not(HasSubstr("token")));
  EXPECT_THAT(out, Not(HasSubstr("127.0.0.1")));
  int lines = 0;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.front() != '{') continue;
    auto j = nlohmann::json::parse(line);
    if (!j.contains("route")) continue;
    ++lines;
    EXPECT_EQ(j["remote"], "127.0.0.0");
    EXPECT_TRUE(j["path"] == "/health" || j["path"] == "/api/v1/site") << line;
    EXPECT_TRUE(j.contains("request_id") && j.contains("status") && j.contains("duration_ms"));
  }
  EXPECT_EQ(lines, 2);
}

TEST(ServerShutdown, SigtermAndSigintExitZeroAndStopAccepting) {
  for (int sig : {SIGTERM, SIGINT}) {
    HcmsProcess s(Limits());
    const int port = s.port();
    Connection idle(port);  // keep-alive connection with nothing in flight
    ASSERT_TRUE(idle.Send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_EQ(idle.Read()->status, 200);
    s.process().Signal(sig);
    auto status = s.process().Wait(std::chrono::seconds(15));
    ASSERT_TRUE(status);
    EXPECT_EQ(*status, 0);
    EXPECT_TRUE(idle.WaitClosed(std::chrono::seconds(1)));
    EXPECT_THROW(Connection late(port), std::runtime_error);
    EXPECT_THAT(s.Stderr(), HasSubstr("server_stopped"));
  }
}

TEST(ServerShutdown, AnUnfinishedRequestIsCutAfterTheShutdownTimeout) {
  HcmsOptions o = Limits();
  o.env["HCMS_SERVER_HEADER_TIMEOUT_MS"] = "60000";
  o.env["HCMS_SERVER_SHUTDOWN_TIMEOUT_MS"] = "300";
  HcmsProcess s(o);
  Connection half(s.port());
  ASSERT_TRUE(half.Send("GET /health HTTP/1.1\r\n"));  // never finishes its head
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  s.process().Signal(SIGTERM);
  auto status = s.process().Wait(std::chrono::seconds(10));
  ASSERT_TRUE(status);
  EXPECT_EQ(*status, 0);
  EXPECT_THAT(s.Stderr(), HasSubstr("server_drain_timeout"));
}

}  // namespace
}  // namespace hcms::testing
