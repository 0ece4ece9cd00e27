#include "tests/support/http_client.h"

#include <cctype>
#include <stdexcept>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace hcms::testing {

std::string HttpResponse::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

Connection::Connection(int port, std::chrono::milliseconds timeout) : timeout_(timeout) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd_);
    throw std::runtime_error(fmt::format("connect to port {} failed", port));
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

Connection::~Connection() {
  if (fd_ >= 0) close(fd_);
}

bool Connection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void Connection::ShutdownWrite() { shutdown(fd_, SHUT_WR); }

bool Connection::Fill() {
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(timeout_.count())) <= 0) return false;
  char buf[16384];
  const ssize_t n = recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) return false;
  buffer_.append(buf, static_cast<size_t>(n));
  return true;
}

bool Connection::WaitClosed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    const int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          deadline - std::chrono::steady_clock::now())
                                          .count());
    if (poll(&p, 1, std::max(left, 1)) <= 0) return false;
    char buf[4096];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return true;  // EOF or reset
  }
  return false;
}

std::optional<HttpResponse> Connection::Read(bool head_request) {
  size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill()) return std::nullopt;
  }
  HttpResponse r;
  std::string head = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) return std::nullopt;
  r.status = std::stoi(status_line.substr(9, 3));
  r.reason = status_line.size() > 13 ? status_line.substr(13) : "";
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t e = head.find("\r\n", pos);
    if (e == std::string::npos) e = head.size();
    std::string line = head.substr(pos, e - pos);
    pos = e + 2;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers.emplace(name, value);
  }
  if (r.status == 100) return Read(head_request);  // interim response
  if (head_request || r.status == 204 || r.status == 304) return r;
  if (r.Header("transfer-encoding") == "chunked") {
    for (;;) {
      size_t le;
      while ((le = buffer_.find("\r\n")) == std::string::npos) {
        if (!Fill()) return std::nullopt;
      }
      const size_t size = std::stoul(buffer_.substr(0, le), nullptr, 16);
      while (buffer_.size() < le + 2 + size + 2) {
        if (!Fill()) return std::nullopt;
      }
      r.body += buffer_.substr(le + 2, size);
      buffer_.erase(0, le + 2 + size + 2);
      if (size == 0) break;
    }
    return r;
  }
  const std::string cl = r.Header("content-length");
  if (cl.empty()) {  // read to EOF
    while (Fill()) {
    }
    r.body = std::move(buffer_);
    buffer_.clear();
    return r;
  }
  const size_t len = std::stoul(cl);
  while (buffer_.size() < len) {
    if (!Fill()) return std::nullopt;
  }
  r.body = buffer_.substr(0, len);
  buffer_.erase(0, len);
  return r;
}

std::optional<HttpResponse> Request(int port, std::string_view method, std::string_view target,
                                    std::string_view body, std::string_view extra_headers) {
  Connection c(port);
  std::string req = fmt::format("{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{}",
                                method, target, extra_headers);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    req += fmt::format("Content-Length: {}\r\n", body.size());
  }
  req += "\r\n";
  req += body;
  if (!c.Send(req)) return std::nullopt;
  return c.Read(method == "HEAD");
}

}  // namespace hcms::testing
