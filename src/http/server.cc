// The only translation unit that includes Boost.Beast's HTTP parser and serializer;
// keep it that way, Beast headers are slow to compile.

#include "http/server.h"
#include <utility>

#include <array>
#include <ctime>
#include <list>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <fmt/format.h>

#include "core/log.h"
#include "core/random.h"
#include "http/event_stream.h"
#include "http/problem.h"

namespace hcms::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto kAwait = asio::use_awaitable;

// "Tue, 24 Nov 2026 13:05:09 GMT", cached per thread per second.
const std::string& HttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    const size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached.assign(buf, n);
    cached_second = now;
  }
  return cached;
}

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// The answer to a failed read, or nullopt when the peer is simply gone.
struct ReadFailure {
  int status;
  std::string_view code;
};
std::optional<ReadFailure> ClassifyReadError(const error_code& ec) {
  if (ec == bhttp::error::header_limit) return ReadFailure{431, "headers_too_large"};
  if (ec == bhttp::error::body_limit) return ReadFailure{413, "body_too_large"};
  if (ec == beast::error::timeout) return ReadFailure{408, "request_timeout"};
  if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
      ec == asio::error::broken_pipe || ec == bhttp::error::partial_message) {
    return std::nullopt;
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return ReadFailure{400, "malformed_request"};
  }
  return std::nullopt;
}

// Counts what is open while it lives.
struct Counted {
  std::atomic<int64_t>& n;
  explicit Counted(std::atomic<int64_t>& c) : n(c) { ++n; }
  ~Counted() { --n; }
  Counted(const Counted&) = delete;
  Counted& operator=(const Counted&) = delete;
};

// RFC 6455 section 4.2.1: a GET over HTTP/1.1 with "Connection: upgrade", and a
// Sec-WebSocket-Key of 16 random bytes in base64 (24 characters, "==" at the end).
bool IsValidWebSocketHandshake(const bhttp::request_header<>& head) {
  if (!websocket::is_upgrade(head)) return false;  // GET, HTTP/1.1, Connection, Upgrade
  const auto key = head[bhttp::field::sec_websocket_key];
  if (key.size() != 24 || key.substr(22) != "==") return false;
  for (char c : key.substr(0, 22)) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/';
    if (!ok) return false;
  }
  return true;
}

// A deadline for reading a request that, unlike tcp_stream's own expiry (which
// closes the socket), only cancels the pending read, so the server can still
// answer 408 before closing.
class ReadDeadline {
 public:
  explicit ReadDeadline(beast::tcp_stream& stream)
      : stream_(stream), timer_(stream.get_executor()) {}
  void Arm(std::chrono::milliseconds d) {
    expired_ = false;
    stream_.expires_never();
    timer_.expires_after(d);
    // Captures `this`, but touches it only when the wait completed normally,
    // which cannot happen after the destructor cancelled it.
    timer_.async_wait([this](const error_code& ec) {
      if (ec) return;
      expired_ = true;
      error_code ignored;
      stream_.socket().cancel(ignored);
    });
  }
  void Disarm() { timer_.cancel(); }
  bool expired() const { return expired_; }

 private:
  beast::tcp_stream& stream_;
  asio::steady_timer timer_;
  bool expired_ = false;
};

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router, ServerObserver* observer)
      : opt_(std::move(options)), router_(router), observer_(observer) {
    const int n = std::max(1, opt_.io_threads);
    for (int i = 0; i < n; ++i) {
      registries_.push_back(std::make_unique<Registry>());
      contexts_.push_back(std::make_unique<asio::io_context>(1));
    }
    for (auto& c : contexts_) guards_.emplace_back(asio::make_work_guard(*c));
    workers_ =
        std::make_unique<asio::thread_pool>(static_cast<size_t>(std::max(1, opt_.worker_threads)));
    header_body_limit_ = opt_.max_body_bytes;
    for (const auto& r : router_.routes())
      header_body_limit_ = std::max(header_body_limit_, r->max_body_bytes);
  }

  ~Impl() {
    if (workers_) {
      workers_->stop();
      workers_->join();
    }
    workers_.reset();
    drain_timer_.reset();  // every I/O object goes before its io_context
    signals_.reset();
    acceptor_.reset();

    guards_.clear();
    contexts_.clear();  // destroys suspended sessions, which unregister themselves
  }

  Status Listen() {
    try {
      auto address = asio::ip::make_address(opt_.address);
      tcp::endpoint ep(address, static_cast<unsigned short>(opt_.port));
      acceptor_ = std::make_unique<tcp::acceptor>(*contexts_[0]);
      acceptor_->open(ep.protocol());
      acceptor_->set_option(asio::socket_base::reuse_address(true));
      acceptor_->bind(ep);
      acceptor_->listen(asio::socket_base::max_listen_connections);
      bound_port_ = acceptor_->local_endpoint().port();
    } catch (const boost::system::system_error& e) {
      return Unavailable("listen_failed", fmt::format("cannot listen on {}:{}: {}", opt_.address,
                                                      opt_.port, e.code().message()));
    }
    return Ok();
  }

  int port() const { return bound_port_; }

  void Run() {
    asio::co_spawn(*contexts_[0], AcceptLoop(), asio::detached);
    if (opt_.handle_signals) {
      signals_ = std::make_unique<asio::signal_set>(*contexts_[0], SIGINT, SIGTERM, SIGHUP);
      WaitSignal();
    }
    std::vector<std::thread> threads;
    for (size_t i = 1; i < contexts_.size(); ++i) {
      threads.emplace_back([this, i] { RunContext(i); });
    }
    RunContext(0);
    for (auto& t : threads) t.join();
    workers_->stop();
    workers_->join();
  }

  void Stop() {
    bool expected = false;
    if (!stopping_.compare_exchange_strong(expected, true)) return;
    log::Info("server_stopping",
              {{"connections_open", open_.load()}, {"in_flight", in_flight_.load()}});
    asio::post(*contexts_[0], [this] {
      error_code ec;
      if (acceptor_) acceptor_->close(ec);
      if (signals_) signals_->cancel(ec);
      drain_deadline_ = std::chrono::steady_clock::now() + opt_.shutdown_timeout;
      drain_timer_ = std::make_unique<asio::steady_timer>(*contexts_[0]);
      WatchDrain();
    });
    for (size_t i = 0; i < contexts_.size(); ++i) {
      asio::post(*contexts_[i], [this, i] {
        for (Session* s : registry(i).sessions) {
          if (!s->busy) {
            error_code ec;
            s->stream->socket().shutdown(tcp::socket::shutdown_both, ec);
            s->stream->cancel();
          }
        }
      });
    }
  }

  bool stopping() const { return stopping_.load(); }

  ServerStats Stats() const {
    return {open_.load(),      total_.load(),  rejected_.load(),
            in_flight_.load(), queued_.load(), streams_.load()};
  }

 private:
  struct Session {
    beast::tcp_stream* stream;
    bool busy = false;
  };
  // Sessions of one io_context; touched only from that context's thread.
  struct Registry {
    std::list<Session*> sessions;
  };
  Registry& registry(size_t i) { return *registries_[i]; }

  void RunContext(size_t i) {
    for (;;) {
      try {
        contexts_[i]->run();
        return;
      } catch (const std::exception& e) {
        log::Error("io_thread_exception", {{"what", e.what()}});
      }
    }
  }

  void WaitSignal() {
    signals_->async_wait([this](const error_code& ec, int signo) {
      if (ec) return;
      if (signo == SIGHUP) {
        log::Info("sighup_received");
        if (opt_.on_reload) {
          asio::post(*workers_, [this] { opt_.on_reload(); });
        }
        WaitSignal();
        return;
      }
      log::Info("signal_received", {{"signal", signo == SIGINT ? "SIGINT" : "SIGTERM"}});
      Stop();
    });
  }

  void WatchDrain() {
    if (open_.load() == 0) {
      guards_.clear();  // lets every io_context run out of work and return
      log::Info("server_drained");
      return;
    }
    if (std::chrono::steady_clock::now() >= drain_deadline_) {
      log::Warn("server_drain_timeout", {{"connections_cut", open_.load()}});
      for (auto& c : contexts_) c->stop();
      return;
    }
    drain_timer_->expires_after(std::chrono::milliseconds(20));
    drain_timer_->async_wait([this](const error_code& ec) {
      if (!ec) WatchDrain();
    });
  }

  asio::awaitable<void> AcceptLoop() {
    size_t next = 0;
    for (;;) {
      auto& ctx = *contexts_[next++ % contexts_.size()];
      tcp::socket socket(ctx);
      error_code ec;
      co_await acceptor_->async_accept(socket, asio::redirect_error(kAwait, ec));
      if (ec) {
        if (stopping_ || ec == asio::error::operation_aborted) co_return;
        // Out of file descriptors and the like: back off instead of spinning.
        log::Warn("accept_failed", {{"error", ec.message()}});
        asio::steady_timer t(*contexts_[0], std::chrono::milliseconds(50));
        co_await t.async_wait(asio::redirect_error(kAwait, ec));
        continue;
      }
      if (open_.load() >= opt_.max_connections) {
        ++rejected_;
        asio::co_spawn(ctx, Reject(std::move(socket)), asio::detached);
        continue;
      }
      ++open_;
      ++total_;
      const size_t index = (next - 1) % contexts_.size();
      asio::co_spawn(ctx, RunSession(std::move(socket), index), asio::detached);
    }
  }

  // Sends 503 + Retry-After to a connection over the limit, then closes it.
  asio::awaitable<void> Reject(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    const std::string request_id = RandomIdHex(16);
    Response r = Problem(request_id, "pt-BR", 503, "too_many_connections");
    r.Set("Retry-After", std::to_string(opt_.retry_after_seconds));
    r.Set("X-Request-Id", request_id);
    co_await WriteResponse(stream, r, false, false, std::chrono::milliseconds(1000));
    co_await LingeringClose(stream);
  }

  // Half-closes and reads what the client still sends for a moment, so that
  // closing with unread data does not reset the connection before the client has
  // read our answer.
  asio::awaitable<void> LingeringClose(beast::tcp_stream& stream) {
    error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    char sink[4096];
    size_t drained = 0;
    stream.expires_after(std::chrono::milliseconds(1000));
    while (!ec && drained < (1u << 20)) {
      drained +=
          co_await stream.async_read_some(asio::buffer(sink), asio::redirect_error(kAwait, ec));
    }
    stream.socket().close(ec);
  }

  // One pass per header (std::string::find_first_of calls memchr per character).
  static bool IsHeaderName(std::string_view name) {
    if (name.empty()) return false;
    for (const char c : name) {
      if (c == ':' || c == '\r' || c == '\n' || c == ' ') return false;
    }
    return true;
  }
  static std::string_view UpToLineBreak(std::string_view value) {
    for (size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\r' || value[i] == '\n') return value.substr(0, i);
    }
    return value;
  }

  // The head is serialised here and sent with the body in one gather write: no
  // copy of the body (a cached answer's shared_body goes out as it is) and no
  // per-header allocation. Header values never carry CR or LF (a value with one
  // is cut there), so no handler can split the response.
  asio::awaitable<size_t> WriteResponse(beast::tcp_stream& stream, Response& res, bool keep_alive,
                                        bool head, std::chrono::milliseconds timeout) {
    const std::string_view body = res.Body();
    // RFC 9110 6.4.1, 8.6: no content (and no Content-Length) for 1xx, 204 and 304.
    const bool no_content = res.status < 200 || res.status == 204 || res.status == 304;
    std::string out;
    out.reserve(512);
    fmt::format_to(
        std::back_inserter(out), "HTTP/1.1 {} {}\r\n", res.status,
        std::string_view(bhttp::obsolete_reason(static_cast<bhttp::status>(res.status))));
    bool nosniff = false;
    for (const auto& h : res.headers) {
      if (HeaderNameEquals(h.name, "Content-Length") || HeaderNameEquals(h.name, "Connection") ||
          HeaderNameEquals(h.name, "Transfer-Encoding") || HeaderNameEquals(h.name, "Server") ||
          HeaderNameEquals(h.name, "Date")) {
        continue;
      }
      if (!IsHeaderName(h.name)) continue;
      nosniff = nosniff || HeaderNameEquals(h.name, "X-Content-Type-Options");
      const std::string_view value = UpToLineBreak(h.value);
      out.append(h.name).append(": ").append(value).append("\r\n");
    }
    out.append("Server: hcms\r\nDate: ").append(HttpDate()).append("\r\n");
    if (!nosniff) out.append("X-Content-Type-Options: nosniff\r\n");
    if (!keep_alive) out.append("Connection: close\r\n");
    if (!no_content) fmt::format_to(std::back_inserter(out), "Content-Length: {}\r\n", body.size());
    out.append("\r\n");
    const bool send_body = !head && !no_content && !body.empty();
    stream.expires_after(timeout);
    error_code ec;
    const std::array<asio::const_buffer, 2> buffers{
        asio::buffer(out),
        send_body ? asio::buffer(body.data(), body.size()) : asio::const_buffer()};
    co_await asio::async_write(stream, buffers, asio::redirect_error(kAwait, ec));
    co_return ec ? 0 : body.size();
  }

  // Writes the head of `res`, then what res.stream yields (see http/event_stream.h),
  // with a comment line every 15 s so idle proxies keep the connection; stops when
  // the producer closes, a write fails (the client left) or the server stops.
  asio::awaitable<size_t> StreamResponse(beast::tcp_stream& stream, Response& res) {
    std::shared_ptr<EventStream> events = res.stream;
    std::string head = fmt::format(
        "HTTP/1.1 {} {}\r\n", res.status,
        std::string_view(bhttp::obsolete_reason(static_cast<bhttp::status>(res.status))));
    for (const auto& h : res.headers) head += fmt::format("{}: {}\r\n", h.name, h.value);
    head += fmt::format(
        "Server: hcms\r\nDate: {}\r\n{}X-Accel-Buffering: no\r\n"
        "X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        HttpDate(), res.Get("Cache-Control").empty() ? "Cache-Control: no-store\r\n" : "");
    error_code ec;
    size_t bytes = 0;
    auto write = [&](std::string_view data) -> asio::awaitable<bool> {
      stream.expires_after(opt_.write_timeout);
      co_await asio::async_write(stream, asio::buffer(data.data(), data.size()),
                                 asio::redirect_error(kAwait, ec));
      stream.expires_never();
      bytes += ec ? 0 : data.size();
      co_return !ec;
    };
    auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor);
    if (co_await write(head)) {
      // Producers wake the wait from any thread; the cancel runs on this executor.
      events->SetNotify(
          [timer, ex = timer->get_executor()] { asio::post(ex, [timer] { timer->cancel(); }); });
      auto last_write = std::chrono::steady_clock::now();
      bool open = true;
      while (open && !stopping_) {
        EventStream::Batch batch = events->Drain();
        for (const auto& e : batch.events) {
          if (!(co_await write(SseFrame(e)))) {
            open = false;
            break;
          }
          last_write = std::chrono::steady_clock::now();
        }
        if (!open || batch.closed || batch.overflowed) break;
        if (std::chrono::steady_clock::now() - last_write >= std::chrono::seconds(15)) {
          if (!(co_await write(":\n\n"))) break;
          last_write = std::chrono::steady_clock::now();
        }
        timer->expires_after(std::chrono::seconds(1));  // also notices Stop()
        error_code wait_ec;
        co_await timer->async_wait(asio::redirect_error(kAwait, wait_ec));
      }
    }
    events->Cancel();
    co_return bytes;
  }

  // What a WebSocket connection shares between its writer (ServeWebSocket) and its
  // reader: both run on the session's io_context, so no locking.
  struct WebSocketState {
    explicit WebSocketState(beast::tcp_stream&& s) : ws(std::move(s)), wake(ws.get_executor()) {}
    websocket::stream<beast::tcp_stream> ws;
    asio::steady_timer wake;  // the writer waits here for events
    bool pending = false;     // events arrived while the writer was busy
    bool reader_done = false;
  };

  // Reads (and drops) what the client sends, so that Beast answers pings and the
  // close handshake; ends when the connection closes or fails.
  static asio::awaitable<void> ReadWebSocket(std::shared_ptr<WebSocketState> st) {
    beast::flat_buffer buffer;
    for (;;) {
      error_code ec;
      co_await st->ws.async_read(buffer, asio::redirect_error(kAwait, ec));
      if (ec) break;
      buffer.consume(buffer.size());  // server-to-client only: client messages are ignored
    }
    st->reader_done = true;
    st->wake.cancel();
  }

  // Completes the handshake of `upgrade` on `connection` (which it takes over: the
  // session must not touch `connection` afterwards), then sends res.stream's events as
  // text messages until the producer closes, the client leaves or the server stops.
  // Returns the message bytes sent; 0 if the handshake failed.
  asio::awaitable<size_t> ServeWebSocket(beast::tcp_stream& connection, Session& self,
                                         const bhttp::request<bhttp::string_body>& upgrade,
                                         const Request& req, Response& res) {
    std::shared_ptr<EventStream> events = res.stream;
    auto st = std::make_shared<WebSocketState>(std::move(connection));
    self.stream = &st->ws.next_layer();
    auto& ws = st->ws;
    ws.next_layer().expires_never();  // the websocket's own timeouts take over
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = opt_.write_timeout;  // the 101 answer and the close handshake
    timeouts.idle_timeout = opt_.idle_timeout;        // pinged at half of it
    timeouts.keep_alive_pings = true;
    ws.set_option(timeouts);
    ws.set_option(
        websocket::stream_base::decorator([rid = req.request_id](websocket::response_type& r) {
          r.set(bhttp::field::server, "hcms");
          r.set("X-Request-Id", rid);
          r.set(bhttp::field::cache_control, "no-store");
        }));
    ws.read_message_max(4096);
    error_code ec;
    co_await ws.async_accept(upgrade, asio::redirect_error(kAwait, ec));
    if (ec) {
      events->Cancel();
      co_return 0;
    }
    ws.text(true);
    asio::co_spawn(ws.get_executor(), ReadWebSocket(st), asio::detached);
    std::weak_ptr<WebSocketState> weak = st;
    events->SetNotify([weak, ex = st->wake.get_executor()] {
      asio::post(ex, [weak] {
        if (auto s = weak.lock()) {
          s->pending = true;
          s->wake.cancel();
        }
      });
    });
    size_t bytes = 0;
    bool write_failed = false;
    websocket::close_code code = websocket::close_code::normal;
    for (;;) {
      EventStream::Batch batch = events->Drain();
      for (const auto& e : batch.events) {
        const std::string message = WebSocketMessage(e);
        co_await ws.async_write(asio::buffer(message), asio::redirect_error(kAwait, ec));
        if (ec) {
          write_failed = true;
          break;
        }
        bytes += message.size();
      }
      if (write_failed || st->reader_done) break;
      if (batch.overflowed) {
        code = websocket::close_code::try_again_later;
        break;
      }
      if (batch.closed) break;
      if (stopping_) {
        code = websocket::close_code::going_away;
        break;
      }
      if (!st->pending) {
        st->wake.expires_after(std::chrono::seconds(1));  // also notices Stop()
        error_code wait_ec;
        co_await st->wake.async_wait(asio::redirect_error(kAwait, wait_ec));
      }
      st->pending = false;
    }
    events->Cancel();
    if (!write_failed && !st->reader_done && ws.is_open()) {
      co_await ws.async_close(websocket::close_reason(code), asio::redirect_error(kAwait, ec));
    }
    // The reader ends once the close handshake is done or times out; the socket is
    // closed after that, by Beast's teardown or here.
    for (int i = 0; !st->reader_done && i < 100; ++i) {
      if (i == 50) {
        error_code ignored;
        ws.next_layer().socket().close(ignored);
      }
      st->wake.expires_after(std::chrono::milliseconds(100));
      error_code wait_ec;
      co_await st->wake.async_wait(asio::redirect_error(kAwait, wait_ec));
    }
    error_code ignored;
    ws.next_layer().socket().close(ignored);
    co_return bytes;
  }

  Response Invoke(const Route& route, Request& req) {
    try {
      return route.handler(req);
    } catch (const std::exception& e) {
      log::Error("handler_exception",
                 {{"request_id", req.request_id}, {"route", route.pattern}, {"what", e.what()}});
    } catch (...) {
      log::Error("handler_exception", {{"request_id", req.request_id}, {"route", route.pattern}});
    }
    return Problem(req, 500, "internal_error");
  }

  // Runs the handler on the worker pool and resumes on this session's context.
  asio::awaitable<Response> RunOnWorker(const Route& route, Request& req) {
    ++queued_;
    co_return co_await asio::async_initiate<decltype(kAwait), void(std::exception_ptr, Response)>(
        [this, &route, &req](auto handler) {
          asio::post(*workers_, [this, &route, &req, handler = std::move(handler)]() mutable {
            --queued_;
            Response r = Invoke(route, req);
            // Compressed here rather than on the I/O thread.
            Negotiate(req, r, opt_.compression);
            auto ex = asio::get_associated_executor(handler);
            asio::post(ex, [handler = std::move(handler), r = std::move(r)]() mutable {
              handler(std::exception_ptr(), std::move(r));
            });
          });
        },
        kAwait);
  }

  asio::awaitable<Response> Dispatch(Request& req, RouteMatch m) {
    if (m.route == nullptr) {
      req.route_template = "unmatched";
      if (m.path_matched) {
        Response r = Problem(req, 405, "method_not_allowed");
        std::string allow;
        for (Method meth : m.allowed) {
          allow += (allow.empty() ? "" : ", ") + std::string(MethodName(meth));
          if (meth == Method::kGet) allow += ", HEAD";
        }
        r.Set("Allow", allow);
        co_return r;
      }
      co_return Problem(req, 404, "not_found");
    }
    req.route_template = m.route->pattern;
    req.path_params = std::move(m.params);
    if (m.route->execution == Execution::kInline) co_return Invoke(*m.route, req);
    if (m.route->fast) {
      try {
        if (std::optional<Response> r = m.route->fast(req)) co_return std::move(*r);
      } catch (const std::exception& e) {
        // The worker path answers; the fast path only ever saves work.
        log::Error(
            "fast_path_exception",
            {{"request_id", req.request_id}, {"route", m.route->pattern}, {"what", e.what()}});
      }
    }
    if (queued_.load() >= opt_.max_queued_requests) {
      Response r = Problem(req, 503, "server_busy");
      r.Set("Retry-After", std::to_string(opt_.retry_after_seconds));
      co_return r;
    }
    co_return co_await RunOnWorker(*m.route, req);
  }

  void Report(const Request* req, Method method, std::string_view route, int status, size_t bytes,
              std::chrono::steady_clock::time_point start, std::string_view remote,
              std::string_view request_id) {
    if (observer_ == nullptr) return;
    Exchange x{method,
               route,
               req != nullptr ? std::string_view(req->path) : std::string_view(),
               status,
               bytes,
               std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::steady_clock::now() - start),
               remote,
               request_id};
    observer_->OnRequestEnd(x);
  }

  asio::awaitable<void> RunSession(tcp::socket socket, size_t ctx_index) {
    struct OpenGuard {
      std::atomic<int64_t>& n;
      ~OpenGuard() { --n; }
    } open_guard{open_};
    beast::tcp_stream stream(std::move(socket));
    Session self{&stream};
    auto& sessions = registry(ctx_index).sessions;
    sessions.push_front(&self);
    struct Unregister {
      std::list<Session*>& l;
      std::list<Session*>::iterator it;
      ~Unregister() { l.erase(it); }
    } unregister{sessions, sessions.begin()};

    error_code ec;
    std::string peer_ip;
    if (auto ep = stream.socket().remote_endpoint(ec); !ec) peer_ip = ep.address().to_string();

    beast::flat_buffer buffer;
    ReadDeadline deadline(stream);
    bool first = true;
    bool handed_over = false;  // `stream` was moved into a websocket
    try {
      while (!stopping_) {
        self.busy = false;
        if (buffer.size() == 0) {
          // Wait for the next request; an idle keep-alive connection just closes.
          stream.expires_after(first ? opt_.header_timeout : opt_.idle_timeout);
          const size_t n = co_await stream.async_read_some(buffer.prepare(4096),
                                                           asio::redirect_error(kAwait, ec));
          if (ec) break;
          buffer.commit(n);
        }
        self.busy = true;
        first = false;
        std::string client_ip = peer_ip;  // until X-Forwarded-For says otherwise
        const auto start = std::chrono::steady_clock::now();
        if (observer_ != nullptr) observer_->OnRequestStart();
        ++in_flight_;
        struct InFlight {
          std::atomic<int64_t>& n;
          ~InFlight() { --n; }
        } in_flight{in_flight_};

        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(opt_.max_header_bytes));
        parser.body_limit(header_body_limit_);
        deadline.Arm(opt_.header_timeout);
        co_await bhttp::async_read_header(stream, buffer, parser, asio::redirect_error(kAwait, ec));
        deadline.Disarm();
        if (ec) {
          co_await FailRead(stream, deadline.expired() ? beast::error::timeout : ec, start,
                            peer_ip);
          break;
        }

        auto& head = parser.get();
        if (!opt_.trusted_proxies.empty()) {
          std::string forwarded;
          for (auto it = head.find("X-Forwarded-For");
               it != head.end() && beast::iequals(it->name_string(), "X-Forwarded-For"); ++it) {
            forwarded.append(forwarded.empty() ? "" : ", ").append(it->value());
          }
          client_ip = ClientIp(peer_ip, forwarded, opt_.trusted_proxies);
        }
        Request req;
        req.method =
            ParseMethod(std::string_view(head.method_string().data(), head.method_string().size()));
        req.target.assign(head.target().data(), head.target().size());
        const std::string_view rid(head["X-Request-Id"].data(), head["X-Request-Id"].size());
        req.request_id = IsValidRequestId(rid) ? std::string(rid) : RandomIdHex(16);

        if (req.target.empty() || req.target.front() != '/' ||
            req.target.find('\0') != std::string::npos) {
          co_await FailWith(stream, req, 400, "malformed_request", start, client_ip);
          break;
        }
        const size_t q = req.target.find('?');
        req.path = req.target.substr(0, q);
        if (q != std::string::npos) req.query = req.target.substr(q + 1);
        RouteMatch match = router_.Find(req.method, req.path);
        const size_t limit = match.route != nullptr && match.route->max_body_bytes > 0
                                 ? match.route->max_body_bytes
                                 : opt_.max_body_bytes;
        if (parser.content_length() && *parser.content_length() > limit) {
          co_await FailWith(stream, req, 413, "body_too_large", start, client_ip);
          break;
        }
        parser.body_limit(limit);
        if (!parser.is_done()) {
          const auto expect = head[bhttp::field::expect];
          if (beast::iequals(expect, "100-continue")) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            stream.expires_after(opt_.write_timeout);
            co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()),
                                       asio::redirect_error(kAwait, ec));
            if (ec) break;
          }
          deadline.Arm(opt_.body_timeout);
          co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(kAwait, ec));
          deadline.Disarm();
          if (ec) {
            auto failure = ClassifyReadError(deadline.expired() ? beast::error::timeout : ec);

            if (failure)
              co_await FailWith(stream, req, failure->status, failure->code, start, client_ip);
            break;
          }
        }

        auto msg = parser.release();
        req.headers.reserve(static_cast<size_t>(std::distance(msg.begin(), msg.end())));
        for (const auto& f : msg) {
          req.headers.push_back({std::string(f.name_string().data(), f.name_string().size()),
                                 std::string(f.value().data(), f.value().size())});
        }
        req.body = std::move(msg.body());
        req.remote_ip = client_ip;
        req.keep_alive = msg.keep_alive();
        const bool websocket = req.WantsWebSocket();
        if (websocket && (req.method != Method::kGet || !IsValidWebSocketHandshake(msg))) {
          co_await FailWith(stream, req, 400, "websocket_handshake_invalid", start, client_ip);
          break;
        }
        if (websocket && msg[bhttp::field::sec_websocket_version] != "13") {
          co_await FailWith(stream, req, 426, "websocket_version_unsupported", start, client_ip);
          break;
        }

        Response res = co_await Dispatch(req, std::move(match));
        // Worker answers are compressed already; cache hits carry their gzip form.
        Negotiate(req, res, opt_.compression);
        res.Set("X-Request-Id", req.request_id);
        const bool keep_alive = req.keep_alive && !stopping_;
        if (res.stream && websocket && res.status == 200) {
          Counted counted(streams_);
          handed_over = true;  // from here on the websocket owns the connection
          const size_t bytes = co_await ServeWebSocket(stream, self, msg, req, res);
          Report(&req, req.method, req.route_template, 101, bytes, start, client_ip,
                 req.request_id);
          break;
        }
        if (res.stream) {
          Counted counted(streams_);
          // Server-Sent Events: the body lasts until the producer closes; then the
          // connection closes (the end of the body is the end of the connection).
          const size_t bytes = co_await StreamResponse(stream, res);
          Report(&req, req.method, req.route_template, res.status, bytes, start, client_ip,
                 req.request_id);
          break;
        }
        const size_t bytes = co_await WriteResponse(
            stream, res, keep_alive, req.method == Method::kHead, opt_.write_timeout);
        Report(&req, req.method, req.route_template, res.status, bytes, start, client_ip,
               req.request_id);
        if (!keep_alive) break;
      }
    } catch (const std::exception& e) {
      log::Error("session_exception", {{"what", e.what()}});
    }
    if (handed_over) co_return;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream.socket().close(ec);
  }

  asio::awaitable<void> FailRead(beast::tcp_stream& stream, const error_code& ec,
                                 std::chrono::steady_clock::time_point start,
                                 const std::string& remote_ip) {
    auto failure = ClassifyReadError(ec);
    if (!failure) co_return;  // the client went away
    Request req;
    req.request_id = RandomIdHex(16);
    co_await FailWith(stream, req, failure->status, failure->code, start, remote_ip);
  }

  asio::awaitable<void> FailWith(beast::tcp_stream& stream, Request& req, int status,
                                 std::string_view code, std::chrono::steady_clock::time_point start,
                                 const std::string& remote_ip) {
    req.route_template = "invalid";
    Response res = Problem(req, status, code);
    res.Set("X-Request-Id", req.request_id);
    // RFC 6455 section 4.4: name the version we speak. (A flag, not an optional
    // header parameter: GCC 12 miscompiles the destruction of such coroutine
    // parameters.)
    if (status == 426) res.Set("Sec-WebSocket-Version", "13");
    const size_t bytes = co_await WriteResponse(
        stream, res, false, false, std::min(opt_.write_timeout, std::chrono::milliseconds(5000)));
    Report(&req, req.method, "invalid", status, bytes, start, remote_ip, req.request_id);
    co_await LingeringClose(stream);
  }

  ServerOptions opt_;
  const Router& router_;
  ServerObserver* observer_;
  // Declared before the contexts: sessions destroyed with a context unregister here.
  std::vector<std::unique_ptr<Registry>> registries_;
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  std::unique_ptr<asio::thread_pool> workers_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::unique_ptr<asio::signal_set> signals_;
  std::unique_ptr<asio::steady_timer> drain_timer_;
  std::chrono::steady_clock::time_point drain_deadline_;
  size_t header_body_limit_ = 0;
  int bound_port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> open_{0};
  std::atomic<int64_t> total_{0};
  std::atomic<int64_t> rejected_{0};
  std::atomic<int64_t> in_flight_{0};
  std::atomic<int64_t> queued_{0};
  std::atomic<int64_t> streams_{0};
};

Server::Server(ServerOptions options, const Router& router, ServerObserver* observer)
    : impl_(std::make_unique<Impl>(std::move(options), router, observer)) {}
Server::~Server() = default;
Status Server::Listen() { return impl_->Listen(); }
int Server::port() const { return impl_->port(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }
bool Server::stopping() const { return impl_->stopping(); }
ServerStats Server::Stats() const { return impl_->Stats(); }

}  // namespace hcms::http
