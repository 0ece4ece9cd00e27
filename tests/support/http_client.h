// A deliberately simple blocking HTTP/1.1 client over a raw socket, so tests can
// send exactly the bytes they want (malformed requests, slow headers, pipelining).

#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace hcms::testing {

struct HttpResponse {
  int status = 0;
  std::string reason;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string Header(const std::string& lower_name) const;
  bool HasHeader(const std::string& lower_name) const { return headers.count(lower_name) > 0; }
};

class Connection {
 public:
  // Connects to 127.0.0.1:port; throws std::runtime_error on failure.
  explicit Connection(int port, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends raw bytes; false if the peer has closed.
  bool Send(std::string_view bytes);
  // Reads one response (Content-Length or chunked). nullopt on EOF/timeout/garbage.
  std::optional<HttpResponse> Read(bool head_request = false);
  // True if the server closed the connection (EOF) within the timeout.
  bool WaitClosed(std::chrono::milliseconds timeout);
  void ShutdownWrite();

 private:
  bool Fill();
  int fd_ = -1;
  std::string buffer_;
  std::chrono::milliseconds timeout_;
};

// One request on a fresh connection: "GET /health" etc. Extra headers as "Name: value\r\n" lines.
std::optional<HttpResponse> Request(int port, std::string_view method, std::string_view target,
                                    std::string_view body = {},
                                    std::string_view extra_headers = {});

}  // namespace hcms::testing
