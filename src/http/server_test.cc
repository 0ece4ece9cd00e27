// The server in-process, over real sockets: behaviours that need a custom handler.
// Bad-input cases against the real binary live in tests/functional.

#include "http/server.h"

#include <future>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/event_stream.h"
#include "tests/support/http_client.h"
#include "tests/support/websocket_client.h"

namespace hcms::http {
namespace {

using hcms::testing::Connection;

class ServerHarness {
 public:
  ServerHarness(Router router, ServerOptions options) : router_(std::move(router)) {
    options.port = 0;
    server_ = std::make_unique<Server>(options, router_, nullptr);
    EXPECT_TRUE(server_->Listen());
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~ServerHarness() {
    server_->Stop();
    thread_.join();
  }
  int port() const { return server_->port(); }
  Server& server() { return *server_; }

 private:
  Router router_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST(Server, SlowHandlersDoNotBlockTheIoThread) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  Router r;
  r.Add({Method::kGet, "/slow", ResourceClass::kPublic, [released](Request&) {
           released.wait();  // stands for a slow database query
           return Response::Text(200, "slow");
         }});
  r.Add({Method::kGet, "/fast", ResourceClass::kPublic,
         [](Request&) { return Response::Text(200, "fast"); }, Execution::kInline});
  ServerOptions o;
  o.io_threads = 1;  // a single I/O thread: if the slow handler ran on it, /fast would wait
  o.worker_threads = 2;
  ServerHarness h(std::move(r), o);

  Connection slow(h.port());
  ASSERT_TRUE(slow.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto fast = hcms::testing::Request(h.port(), "GET", "/fast");
  ASSERT_TRUE(fast);
  EXPECT_EQ(fast->body, "fast");
  release.set_value();
  auto s = slow.Read();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->body, "slow");
}

TEST(Server, KeepAliveServesSeveralRequestsAndPipelining) {
  Router r;
  r.Add({Method::kGet, "/n/{n}", ResourceClass::kPublic,
         [](Request& req) { return Response::Text(200, std::string(req.PathParam("n"))); }});
  ServerHarness h(std::move(r), {});
  Connection c(h.port());
  ASSERT_TRUE(c.Send("GET /n/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /n/2 HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto a = c.Read();
  auto b = c.Read();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, "1");
  EXPECT_EQ(b->body, "2");
  ASSERT_TRUE(c.Send("GET /n/3 HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto d = c.Read();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->body, "3");
}

TEST(Server, AThrowingHandlerAnswers500WithoutDetails) {
  Router r;
  r.Add({Method::kGet, "/boom", ResourceClass::kPublic,
         [](Request&) -> Response { throw std::runtime_error("secret internals"); }});
  ServerHarness h(std::move(r), {});
  auto res = hcms::testing::Request(h.port(), "GET", "/boom");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(res->Header("content-type"), "application/problem+json");
  EXPECT_THAT(res->body, ::testing::Not(::testing::HasSubstr("secret")));
}

TEST(Server, FullWorkerQueueAnswers503WithRetryAfter) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> started{0};
  Router r;
  r.Add({Method::kGet, "/hold", ResourceClass::kPublic, [released, &started](Request&) {
           ++started;
           released.wait();
           return Response::Text(200, "ok");
         }});
  ServerOptions o;
  o.worker_threads = 1;
  o.max_queued_requests = 1;
  o.retry_after_seconds = 7;
  ServerHarness h(std::move(r), o);
  Connection first(h.port());
  ASSERT_TRUE(first.Send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n"));
  while (started.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Connection second(h.port());  // queued behind the first
  ASSERT_TRUE(second.Send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n"));
  while (h.server().Stats().worker_queue == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto third = hcms::testing::Request(h.port(), "GET", "/hold");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->status, 503);
  EXPECT_EQ(third->Header("retry-after"), "7");
  EXPECT_THAT(third->body, ::testing::HasSubstr("server_busy"));
  release.set_value();
  EXPECT_EQ(first.Read()->status, 200);
  EXPECT_EQ(second.Read()->status, 200);
}

TEST(Server, WritesTheHeadItselfWithoutLettingHandlersSplitOrMisframeIt) {
  Router r;
  r.Add({Method::kGet, "/shared", ResourceClass::kPublic, [](Request&) {
           Response res;
           res.status = 200;
           res.shared_body = std::make_shared<const std::string>("shared body");
           res.Set("Content-Type", "text/plain");
           res.Set("Content-Length", "999");          // the server frames the body itself
           res.Set("X-Note", "ok\r\nX-Injected: 1");  // cut at the line break
           res.Set("Bad Name", "dropped");
           return res;
         }});
  r.Add({Method::kGet, "/not-modified", ResourceClass::kPublic, [](Request&) {
           Response res = Response::Text(304, "must not be sent");
           res.Set("ETag", "\"v1\"");
           return res;
         }});
  ServerHarness h(std::move(r), {});
  Connection c(h.port());
  ASSERT_TRUE(c.Send("GET /shared HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto a = c.Read();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(a->body, "shared body");
  EXPECT_EQ(a->Header("content-length"), "11");
  EXPECT_EQ(a->headers.count("content-length"), 1u);
  EXPECT_EQ(a->Header("x-note"), "ok");
  EXPECT_FALSE(a->HasHeader("x-injected"));
  EXPECT_FALSE(a->HasHeader("bad name"));
  EXPECT_EQ(a->Header("server"), "hcms");
  EXPECT_EQ(a->Header("x-content-type-options"), "nosniff");
  EXPECT_FALSE(a->Header("date").empty());

  // HEAD: the length of the body it would get, and no body (the next answer parses).
  ASSERT_TRUE(c.Send("HEAD /shared HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto b = c.Read(/*head_request=*/true);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->Header("content-length"), "11");

  // 304: neither body nor Content-Length (RFC 9110 8.6), the connection stays usable.
  ASSERT_TRUE(c.Send("GET /not-modified HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto d = c.Read();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->status, 304);
  EXPECT_FALSE(d->HasHeader("content-length"));
  EXPECT_EQ(d->Header("etag"), "\"v1\"");
  ASSERT_TRUE(c.Send("GET /shared HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto e = c.Read();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->body, "shared body");
}

TEST(Server, AFastPathAnswersOnTheIoThreadOrLeavesTheRequestToTheWorker) {
  std::atomic<int> worker_calls{0};
  Router r;
  Route route{Method::kGet, "/page/{n}", ResourceClass::kPublic, [&worker_calls](Request& req) {
                ++worker_calls;
                return Response::Text(200, "worker " + std::string(req.PathParam("n")));
              }};
  route.fast = [](Request& req) -> std::optional<Response> {
    if (req.PathParam("n") == "hot") return Response::Text(200, "fast");
    if (req.PathParam("n") == "throws") throw std::runtime_error("fast path broke");
    return std::nullopt;
  };
  r.Add(std::move(route));
  ServerHarness h(std::move(r), {});
  EXPECT_EQ(hcms::testing::Request(h.port(), "GET", "/page/hot")->body, "fast");
  EXPECT_EQ(worker_calls.load(), 0);
  EXPECT_EQ(hcms::testing::Request(h.port(), "GET", "/page/cold")->body, "worker cold");
  EXPECT_EQ(hcms::testing::Request(h.port(), "GET", "/page/throws")->body, "worker throws");
  EXPECT_EQ(worker_calls.load(), 2);
}

TEST(Server, CompressesForClientsThatAskOnTheWorkerAndTheFastPath) {
  std::string page;
  for (int i = 0; i < 300; ++i) page += "<p>Consulta de rotina, parágrafo " + std::to_string(i);
  Router r;
  r.Add({Method::kGet, "/worker", ResourceClass::kPublic,
         [&page](Request&) { return Response::Text(200, page, "text/html; charset=utf-8"); }});
  Route fast{Method::kGet, "/fast", ResourceClass::kPublic,
             [](Request&) { return Response::Text(500, "not this"); }};
  fast.fast = [&page](Request&) -> std::optional<Response> {
    return Response::Text(200, page, "text/html; charset=utf-8");
  };
  r.Add(std::move(fast));
  ServerHarness h(std::move(r), {});
  for (std::string_view target : {"/worker", "/fast"}) {
    SCOPED_TRACE(target);
    auto gz = hcms::testing::Request(h.port(), "GET", target, {}, "Accept-Encoding: gzip\r\n");
    ASSERT_TRUE(gz);
    EXPECT_EQ(gz->status, 200);
    EXPECT_EQ(gz->Header("content-encoding"), "gzip");
    EXPECT_EQ(gz->Header("vary"), "Accept-Encoding");
    EXPECT_EQ(gz->Header("content-length"), std::to_string(gz->body.size()));
    EXPECT_LT(gz->body.size(), page.size() / 3);
    EXPECT_EQ(Gzip(page, ServerOptions{}.compression.level), gz->body);

    auto plain = hcms::testing::Request(h.port(), "GET", target);
    ASSERT_TRUE(plain);
    EXPECT_FALSE(plain->HasHeader("content-encoding"));
    EXPECT_EQ(plain->Header("vary"), "Accept-Encoding");
    EXPECT_EQ(plain->body, page);
  }
  // Switched off: plain for everyone.
  Router off;
  off.Add({Method::kGet, "/worker", ResourceClass::kPublic,
           [&page](Request&) { return Response::Text(200, page, "text/html; charset=utf-8"); }});
  ServerOptions o;
  o.compression.enabled = false;
  ServerHarness h2(std::move(off), o);
  auto res = hcms::testing::Request(h2.port(), "GET", "/worker", {}, "Accept-Encoding: gzip\r\n");
  ASSERT_TRUE(res);
  EXPECT_FALSE(res->HasHeader("content-encoding"));
  EXPECT_EQ(res->body, page);
}

TEST(Server, StopFinishesInFlightRequestsThenRunReturns) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> started{0};
  Router r;
  r.Add({Method::kGet, "/work", ResourceClass::kPublic, [released, &started](Request&) {
           ++started;
           released.wait();
           return Response::Text(200, "done");
         }});
  auto router = std::make_unique<Router>(std::move(r));
  ServerOptions o;
  o.port = 0;
  Server server(o, *router, nullptr);
  ASSERT_TRUE(server.Listen());
  std::thread t([&] { server.Run(); });
  Connection idle(server.port());  // keep-alive, no request: closed at shutdown
  Connection busy(server.port());
  ASSERT_TRUE(busy.Send("GET /work HTTP/1.1\r\nHost: x\r\n\r\n"));
  while (started.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server.Stop();
  EXPECT_TRUE(idle.WaitClosed(std::chrono::seconds(5)));
  EXPECT_THROW(Connection refused(server.port()), std::runtime_error);  // no longer accepting
  release.set_value();
  auto res = busy.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "done");
  EXPECT_EQ(res->Header("connection"), "close");
  t.join();  // Run returned
}

// A route that streams whatever the test pushes into `stream`.
struct StreamRoute {
  std::shared_ptr<EventStream> stream = std::make_shared<EventStream>();
  Router Build() {
    Router r;
    r.Add({Method::kGet, "/events", ResourceClass::kPublic, [this](Request&) {
             Response res(200, "text/event-stream", "");
             res.stream = stream;
             return res;
           }});
    return r;
  }
};

using hcms::testing::WebSocketClient;

TEST(ServerWebSocket, SendsEventsAsTextMessagesAndClosesNormally) {
  StreamRoute route;
  ServerHarness h(route.Build(), {});
  WebSocketClient ws(h.port(), "/events", "Host: x\r\n");
  ASSERT_EQ(ws.handshake().status, 101);
  EXPECT_EQ(h.server().Stats().event_streams_open, 1);
  route.stream->PushEvent("step", R"({"n":1})");
  route.stream->PushEvent("step", R"({"n":2})");
  route.stream->Close();
  auto a = ws.Next(std::chrono::seconds(5));
  auto b = ws.Next(std::chrono::seconds(5));
  auto c = ws.Next(std::chrono::seconds(5));
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->data, R"({"event":"step","data":{"n":1}})");
  EXPECT_EQ(b->data, R"({"event":"step","data":{"n":2}})");
  EXPECT_EQ(c->kind, WebSocketClient::Kind::kClose);
  EXPECT_EQ(c->close_code, 1000);
  EXPECT_TRUE(ws.WaitClosed(std::chrono::seconds(5)));
}

TEST(ServerWebSocket, AClientThatFallsBehindIsClosedWith1013) {
  StreamRoute route;
  route.stream = std::make_shared<EventStream>(4);
  for (int i = 0; i < 10; ++i) route.stream->PushEvent("n", std::to_string(i));  // overflows
  ServerHarness h(route.Build(), {});
  WebSocketClient ws(h.port(), "/events", "Host: x\r\n");
  ASSERT_EQ(ws.handshake().status, 101);
  int texts = 0;
  std::optional<WebSocketClient::Message> m;
  while ((m = ws.Next(std::chrono::seconds(5))) && m->kind == WebSocketClient::Kind::kText) ++texts;
  EXPECT_EQ(texts, 4);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->close_code, 1013);
}

TEST(ServerWebSocket, StopClosesWith1001AndRunReturns) {
  StreamRoute route;
  auto router = std::make_unique<Router>(route.Build());
  ServerOptions o;
  o.port = 0;
  Server server(o, *router, nullptr);
  ASSERT_TRUE(server.Listen());
  std::thread t([&] { server.Run(); });
  WebSocketClient ws(server.port(), "/events", "Host: x\r\n");
  ASSERT_EQ(ws.handshake().status, 101);
  server.Stop();
  std::optional<WebSocketClient::Message> m = ws.Next(std::chrono::seconds(5));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, WebSocketClient::Kind::kClose);
  EXPECT_EQ(m->close_code, 1001);
  t.join();  // the drain ends once the close handshake is done
}

TEST(ServerWebSocket, CountsTowardMaxConnections) {
  StreamRoute route;
  ServerOptions o;
  o.max_connections = 1;
  ServerHarness h(route.Build(), o);
  WebSocketClient ws(h.port(), "/events", "Host: x\r\n");
  ASSERT_EQ(ws.handshake().status, 101);
  auto second = hcms::testing::Request(h.port(), "GET", "/events");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 503);
  EXPECT_THAT(second->body, ::testing::HasSubstr("too_many_connections"));
  route.stream->Close();
}

TEST(ServerWebSocket, OversizedClientMessagesCloseWith1009) {
  StreamRoute route;
  ServerHarness h(route.Build(), {});
  WebSocketClient ws(h.port(), "/events", "Host: x\r\n");
  ASSERT_EQ(ws.handshake().status, 101);
  ASSERT_TRUE(ws.SendText(std::string(5000, 'x')));
  auto m = ws.Next(std::chrono::seconds(5));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, WebSocketClient::Kind::kClose);
  EXPECT_EQ(m->close_code, 1009);
  route.stream->Close();
}

TEST(ServerWebSocket, RoutesWithoutAStreamAnswerPlainHttp) {
  Router r;
  r.Add({Method::kGet, "/plain", ResourceClass::kPublic,
         [](Request&) { return Response::Text(200, "plain"); }});
  ServerHarness h(std::move(r), {});
  WebSocketClient ws(h.port(), "/plain", "Host: x\r\n");
  EXPECT_EQ(ws.handshake().status, 200);
  EXPECT_EQ(ws.handshake().body, "plain");
}

}  // namespace
}  // namespace hcms::http
