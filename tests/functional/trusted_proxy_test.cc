// server.trusted_proxies through the real binary: X-Forwarded-For decides the
// client address (policy engine, access log) only on connections from a trusted
// proxy; from any other peer it is ignored. 127.0.0.1 is the trusted proxy here;
// 127.0.0.2 (also loopback) stands for a client connecting directly.

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/hcms_process.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"

namespace hcms::testing {
namespace {

// GET `target` from source address `from` (127.0.0.x) with the given extra
// headers; returns the status (0 when no answer) and the body.
std::pair<int, std::string> GetFrom(const char* from, int port, const std::string& target,
                                    const std::string& headers) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in src{};
  src.sin_family = AF_INET;
  inet_pton(AF_INET, from, &src.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
    close(fd);
    return {0, "bind failed"};
  }
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(static_cast<uint16_t>(port));
  dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
    close(fd);
    return {0, "connect failed"};
  }
  const std::string req =
      "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers + "\r\n";
  (void)send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 10000) <= 0) break;
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  if (out.size() < 12) return {0, out};
  const size_t body = out.find("\r\n\r\n");
  return {std::atoi(out.c_str() + 9), body == std::string::npos ? "" : out.substr(body + 4)};
}

TEST(TrustedProxies, ForwardedForCountsOnlyFromTrustedPeers) {
  TempDir dir;
  WriteFile(dir.File("policy.toml"), "[network]\ndeny = [\"203.0.113.0/24\"]\n");
  HcmsOptions o;
  o.env = {{"HCMS_SERVER_TRUSTED_PROXIES", "127.0.0.1"}};
  o.extra_toml = "[policy]\nfile = \"" + dir.File("policy.toml") + "\"\n";
  HcmsProcess s(o);

  // Through the trusted proxy: the forwarded client is denied by the policy's
  // network list, and only the rightmost untrusted hop counts.
  auto denied = GetFrom("127.0.0.1", s.port(), "/api/v1/site", "X-Forwarded-For: 203.0.113.77\r\n");
  EXPECT_EQ(denied.first, 403) << denied.second;
  EXPECT_EQ(nlohmann::json::parse(denied.second)["code"], "ip_denied");
  auto chained = GetFrom("127.0.0.1", s.port(), "/api/v1/site",
                         "X-Forwarded-For: 198.51.100.7, 203.0.113.77, 127.0.0.1\r\n");
  EXPECT_EQ(chained.first, 403) << chained.second;
  auto forged = GetFrom("127.0.0.1", s.port(), "/api/v1/site",
                        "X-Forwarded-For: 203.0.113.77\r\nX-Forwarded-For: 198.51.100.7\r\n");
  EXPECT_EQ(forged.first, 200) << forged.second;  // the client wrote the first line itself

  // Straight from an untrusted peer: the header is ignored.
  auto direct = GetFrom("127.0.0.2", s.port(), "/api/v1/site", "X-Forwarded-For: 203.0.113.77\r\n");
  EXPECT_EQ(direct.first, 200) << direct.second;
  auto plain = GetFrom("127.0.0.1", s.port(), "/api/v1/site", "");
  EXPECT_EQ(plain.first, 200) << plain.second;

  // The access log keeps the client's address, anonymised, never the raw one.
  ASSERT_EQ(s.Stop(), 0);
  std::vector<std::string> remotes;
  std::istringstream in(s.Stdout());
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.front() != '{') continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || j.value("path", "") != "/api/v1/site") continue;
    remotes.push_back(j.value("remote", ""));
  }
  EXPECT_THAT(remotes, ::testing::ElementsAre("203.0.113.0", "203.0.113.0", "198.51.100.0",
                                              "127.0.0.0", "127.0.0.0"));
  EXPECT_THAT(s.Stdout(), ::testing::Not(::testing::HasSubstr("203.0.113.77")));
  EXPECT_THAT(s.Stdout(), ::testing::Not(::testing::HasSubstr("198.51.100.7")));
}

TEST(TrustedProxies, ByDefaultNoPeerIsTrusted) {
  TempDir dir;
  WriteFile(dir.File("policy.toml"), "[network]\ndeny = [\"203.0.113.0/24\"]\n");
  HcmsOptions o;
  o.extra_toml = "[policy]\nfile = \"" + dir.File("policy.toml") + "\"\n";
  HcmsProcess s(o);
  auto r = GetFrom("127.0.0.1", s.port(), "/api/v1/site", "X-Forwarded-For: 203.0.113.77\r\n");
  EXPECT_EQ(r.first, 200) << r.second;
}

}  // namespace
}  // namespace hcms::testing
