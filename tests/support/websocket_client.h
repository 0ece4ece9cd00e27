// A small blocking WebSocket client (RFC 6455) over a raw socket, for tests that
// need to see exactly what the server does: the handshake answer (or the HTTP
// refusal before it), each frame, pings and the close handshake.
//
//   WebSocketClient ws(port, "/api/v1/pipeline/runs/1/events",
//                      "Host: a.test\r\nOrigin: http://a.test\r\nCookie: ...\r\n");
//   ASSERT_EQ(ws.handshake().status, 101);
//   while (auto m = ws.Next(std::chrono::seconds(10))) { if (m->kind == kText) ... }

#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "tests/support/http_client.h"

namespace hcms::testing {

class WebSocketClient {
 public:
  // Connects to 127.0.0.1:port and sends the opening handshake for `target`
  // (GET, Upgrade, Connection, a fresh Sec-WebSocket-Key, version 13) plus
  // `extra_headers` ("Name: value\r\n" lines; include Host). Reads the answer: see
  // handshake(). Throws std::runtime_error when it cannot connect.
  WebSocketClient(int port, std::string_view target, std::string_view extra_headers,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  // The server's answer to the handshake: 101 and its headers, or an HTTP error
  // with its body. status 0 when nothing arrived.
  const HttpResponse& handshake() const { return handshake_; }
  // The Sec-WebSocket-Key this client sent.
  const std::string& key() const { return key_; }

  enum class Kind { kText, kBinary, kPing, kPong, kClose };
  struct Message {
    Kind kind;
    std::string data;    // payload (close: the reason text)
    int close_code = 0;  // close frames: the status code, 0 when absent
  };
  // The next complete message or control frame, or nullopt on timeout/EOF. Pings
  // are answered with a pong (and also returned); a close frame is answered with a
  // close frame (once), the sending side of the socket is shut down, and the frame
  // is returned.
  std::optional<Message> Next(std::chrono::milliseconds timeout);

  bool SendText(std::string_view text);
  bool SendPing(std::string_view payload);
  bool SendClose(int code);
  // True if the server closed the TCP connection within `timeout`.
  bool WaitClosed(std::chrono::milliseconds timeout);

 private:
  bool SendFrame(int opcode, std::string_view payload);
  bool Fill(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  std::string buffer_;
  std::string key_;
  HttpResponse handshake_;
  bool close_sent_ = false;
};

}  // namespace hcms::testing
