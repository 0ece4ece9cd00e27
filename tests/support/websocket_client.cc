#include "tests/support/websocket_client.h"

#include <cctype>
#include <random>
#include <stdexcept>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace hcms::testing {

namespace {

std::string Base64(const unsigned char* in, size_t n) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < n; i += 3) {
    const uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    for (int s = 18; s >= 0; s -= 6) out += k[(v >> s) & 63];
  }
  if (i < n) {
    uint32_t v = uint32_t{in[i]} << 16;
    if (i + 1 < n) v |= uint32_t{in[i + 1]} << 8;
    out += k[(v >> 18) & 63];
    out += k[(v >> 12) & 63];
    out += i + 1 < n ? k[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

WebSocketClient::WebSocketClient(int port, std::string_view target, std::string_view extra_headers,
                                 std::chrono::milliseconds timeout) {
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
  std::random_device rd;
  unsigned char nonce[16];
  for (auto& b : nonce) b = static_cast<unsigned char>(rd());
  key_ = Base64(nonce, sizeof nonce);
  const std::string req = fmt::format(
      "GET {} HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: {}\r\nSec-WebSocket-Version: 13\r\n{}\r\n",
      target, key_, extra_headers);
  std::string_view rest = req;
  while (!rest.empty()) {
    const ssize_t n = send(fd_, rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    rest.remove_prefix(static_cast<size_t>(n));
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(deadline)) return;
  }
  const std::string head = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  if (status_line.size() >= 12) handshake_.status = std::atoi(status_line.c_str() + 9);
  handshake_.reason = status_line.size() > 13 ? status_line.substr(13) : "";
  while (line_end != std::string::npos) {
    const size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string line = head.substr(start, line_end - start);
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    handshake_.headers.emplace(Lower(line.substr(0, colon)), value);
  }
  if (handshake_.status != 101) {
    const size_t length = std::strtoul(handshake_.Header("content-length").c_str(), nullptr, 10);
    while (buffer_.size() < length && Fill(deadline)) {
    }
    handshake_.body = buffer_.substr(0, length);
    buffer_.erase(0, std::min(length, buffer_.size()));
  }
}

WebSocketClient::~WebSocketClient() {
  if (fd_ >= 0) close(fd_);
}

bool WebSocketClient::Fill(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(std::max<int64_t>(1, left.count()))) <= 0) return false;
  char buf[16384];
  const ssize_t n = recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) return false;
  buffer_.append(buf, static_cast<size_t>(n));
  return true;
}

bool WebSocketClient::SendFrame(int opcode, std::string_view payload) {
  std::string frame;
  frame.push_back(static_cast<char>(0x80 | opcode));  // FIN
  const size_t n = payload.size();
  if (n < 126) {
    frame.push_back(static_cast<char>(0x80 | n));  // masked, as a client must
  } else if (n < 65536) {
    frame.push_back(static_cast<char>(0x80 | 126));
    frame.push_back(static_cast<char>(n >> 8));
    frame.push_back(static_cast<char>(n & 0xff));
  } else {
    frame.push_back(static_cast<char>(0x80 | 127));
    for (int s = 56; s >= 0; s -= 8) frame.push_back(static_cast<char>((n >> s) & 0xff));
  }
  std::random_device rd;
  unsigned char mask[4];
  for (auto& b : mask) b = static_cast<unsigned char>(rd());
  frame.append(reinterpret_cast<const char*>(mask), 4);
  for (size_t i = 0; i < n; ++i) frame.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
  std::string_view rest = frame;
  while (!rest.empty()) {
    const ssize_t sent = send(fd_, rest.data(), rest.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    rest.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

bool WebSocketClient::SendText(std::string_view text) { return SendFrame(0x1, text); }
bool WebSocketClient::SendPing(std::string_view payload) { return SendFrame(0x9, payload); }
bool WebSocketClient::SendClose(int code) {
  close_sent_ = true;
  const char payload[2] = {static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
  return SendFrame(0x8, std::string_view(payload, 2));
}

std::optional<WebSocketClient::Message> WebSocketClient::Next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string message;
  int message_opcode = -1;
  for (;;) {
    // Frame header: 2 bytes, extended length, (no mask from a server).
    while (buffer_.size() < 2) {
      if (!Fill(deadline)) return std::nullopt;
    }
    const auto b0 = static_cast<unsigned char>(buffer_[0]);
    const auto b1 = static_cast<unsigned char>(buffer_[1]);
    const bool fin = (b0 & 0x80) != 0;
    const int opcode = b0 & 0x0f;
    const bool masked = (b1 & 0x80) != 0;
    size_t header = 2;
    uint64_t length = b1 & 0x7f;
    if (length == 126) header += 2;
    if (length == 127) header += 8;
    if (masked) header += 4;
    while (buffer_.size() < header) {
      if (!Fill(deadline)) return std::nullopt;
    }
    if (length == 126) {
      length = (uint64_t{static_cast<unsigned char>(buffer_[2])} << 8) |
               static_cast<unsigned char>(buffer_[3]);
    } else if (length == 127) {
      length = 0;
      for (int i = 0; i < 8; ++i)
        length = (length << 8) | static_cast<unsigned char>(buffer_[2 + i]);
    }
    while (buffer_.size() < header + length) {
      if (!Fill(deadline)) return std::nullopt;
    }
    std::string payload = buffer_.substr(header, length);
    if (masked) {
      for (size_t i = 0; i < payload.size(); ++i) payload[i] ^= buffer_[header - 4 + i % 4];
    }
    buffer_.erase(0, header + length);
    if (opcode == 0x9) {
      SendFrame(0xA, payload);
      return Message{Kind::kPing, payload};
    }
    if (opcode == 0xA) return Message{Kind::kPong, payload};
    if (opcode == 0x8) {
      Message m{Kind::kClose, payload.size() > 2 ? payload.substr(2) : ""};
      if (payload.size() >= 2) {
        m.close_code =
            (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
      }
      if (!close_sent_) SendClose(m.close_code == 0 ? 1000 : m.close_code);
      shutdown(fd_, SHUT_WR);  // the close handshake is done: as a browser, stop sending
      return m;
    }
    if (opcode != 0x0) message_opcode = opcode;
    message += payload;
    if (fin) {
      return Message{message_opcode == 0x2 ? Kind::kBinary : Kind::kText, std::move(message)};
    }
  }
}

bool WebSocketClient::WaitClosed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (poll(&p, 1, static_cast<int>(std::max<int64_t>(1, left.count()))) <= 0) return false;
    char buf[4096];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return true;
  }
  return false;
}

}  // namespace hcms::testing
