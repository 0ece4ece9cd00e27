// The HTTP/1.1 server: Boost.Beast over Asio with C++20 coroutines.
//
// One io_context per I/O thread (one per core by default); the acceptor hands each
// new connection to the next context in turn. Handlers that may block (database)
// run on a separate worker pool, so a slow query never stalls an I/O thread.
//
// Limits, each answered with a problem+json and then the connection is closed:
//   request head larger than max_header_bytes -> 431; body larger than the limit -> 413
//   (before reading it, from Content-Length); head not complete within
//   header_timeout -> 408 (a slowloris client holds a coroutine, not a thread);
//   bad HTTP -> 400; more than max_connections open -> 503 with Retry-After;
//   more than max_queued_requests waiting for a worker -> 503 with Retry-After.
//
// Client address: the TCP peer, unless the peer is one of `trusted_proxies`; then
// X-Forwarded-For is read from the right and the first untrusted hop is the client
// (core/ip_address.h, ClientIp). Request::remote_ip and Exchange::remote_ip carry it.
//
// Event streams (http/event_stream.h): a response with `stream` set is sent as
// Server-Sent Events, or, when the request asked for `Upgrade: websocket`, the
// server completes the RFC 6455 handshake (101) and sends each event as one text
// message. A WebSocket request with a bad handshake gets 400
// websocket_handshake_invalid (426 websocket_version_unsupported for a version other
// than 13) before any handler runs; the handler's own refusals (401, 403, 404) are
// answered as plain HTTP, before upgrading. On a WebSocket the server answers pings
// and close frames, pings an idle client every idle_timeout / 2 and drops it after
// idle_timeout without any frame, ignores client messages (at most 4 KiB each), ends
// with close code 1000 when the producer closes, 1013 when the client fell behind
// (the stream's queue is bounded) and 1001 on shutdown. Both kinds count as open
// connections (max_connections).
//
// Shutdown (Stop, or SIGTERM/SIGINT when handle_signals): the listener closes,
// idle keep-alive connections close, requests in flight finish with
// "Connection: close"; whatever is still running after shutdown_timeout is cut off.
// Run() then returns.
//
// Thread safety: Listen and Run from one thread; Stop from any thread.

#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/error.h"
#include "core/ip_address.h"
#include "http/compression.h"
#include "http/message.h"
#include "http/router.h"

namespace hcms::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  int port = 8080;  // 0: any free port; see Server::port()
  int io_threads = 1;
  int worker_threads = 4;
  int max_queued_requests = 4096;
  int max_connections = 10000;
  size_t max_body_bytes = 8 << 20;
  size_t max_header_bytes = 16 << 10;
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{30000};
  std::chrono::milliseconds idle_timeout{30000};
  std::chrono::milliseconds write_timeout{30000};
  std::chrono::milliseconds shutdown_timeout{10000};
  int retry_after_seconds = 1;
  CompressionOptions compression;     // gzip for clients that accept it (http/compression.h)
  std::vector<Cidr> trusted_proxies;  // peers whose X-Forwarded-For is believed
  bool handle_signals = false;        // SIGINT/SIGTERM -> Stop(); SIGHUP -> on_reload
  std::function<void()> on_reload;    // called on SIGHUP (policy reload, ...)
};

// What the server reports about each exchange (access log, metrics). Called on an
// I/O thread: implementations must be thread-safe and must not block.
struct Exchange {
  Method method;
  std::string_view route;  // route template, or "unmatched"
  std::string_view path;   // without the query string
  int status;
  size_t response_bytes;
  std::chrono::microseconds duration;
  std::string_view remote_ip;  // the client (see trusted_proxies); anonymise before keeping it
  std::string_view request_id;
};

class ServerObserver {
 public:
  virtual ~ServerObserver() = default;
  virtual void OnRequestStart() {}
  virtual void OnRequestEnd(const Exchange& exchange) = 0;
};

struct ServerStats {
  int64_t connections_open;
  int64_t connections_total;
  int64_t connections_rejected;
  int64_t requests_in_flight;
  int64_t worker_queue;
  int64_t event_streams_open;  // Server-Sent Events and WebSocket connections
};

class Server {
 public:
  // `router` must outlive the server. `observer` may be null.
  Server(ServerOptions options, const Router& router, ServerObserver* observer);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. kUnavailable "listen_failed" if the address is taken.
  Status Listen();
  // The bound port (after Listen).
  int port() const;
  // Serves until Stop (or a signal) and the drain finish. Uses the calling thread
  // as the first I/O thread.
  void Run();
  // Begins a graceful shutdown. Thread-safe; idempotent.
  void Stop();
  bool stopping() const;
  ServerStats Stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hcms::http
