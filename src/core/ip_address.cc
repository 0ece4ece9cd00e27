#include "core/ip_address.h"

#include <cstring>

#include <arpa/inet.h>

namespace hcms {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One X-Forwarded-For hop without a port: "[2001:db8::1]:443" -> "2001:db8::1",
// "203.0.113.7:8080" -> "203.0.113.7".
std::string_view HopAddress(std::string_view hop) {
  hop = Trim(hop);
  if (!hop.empty() && hop.front() == '[') {
    const size_t close = hop.find(']');
    return close == std::string_view::npos ? std::string_view() : hop.substr(1, close - 1);
  }
  const size_t colon = hop.find(':');
  if (colon != std::string_view::npos && hop.find(':', colon + 1) == std::string_view::npos) {
    return hop.substr(0, colon);  // IPv4 with a port; IPv6 has several colons
  }
  return hop;
}

}  // namespace

bool ParseIp(std::string_view text, IpBytes& out) {
  out.fill(0);
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return false;
  char s[INET6_ADDRSTRLEN] = {};
  std::memcpy(s, text.data(), text.size());
  in_addr v4{};
  if (inet_pton(AF_INET, s, &v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return true;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s, &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return true;
  }
  return false;
}

Result<Cidr> Cidr::Parse(std::string_view text) {
  Cidr c;
  const size_t slash = text.find('/');
  const std::string_view ip = text.substr(0, slash);
  if (!ParseIp(ip, c.addr)) return InvalidArgument("invalid_cidr");
  const bool v4 = ip.find(':') == std::string_view::npos;
  int prefix = v4 ? 32 : 128;
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string_view::npos)
      return InvalidArgument("invalid_cidr");
    prefix = 0;
    for (char d : p) prefix = prefix * 10 + (d - '0');
    if (prefix > (v4 ? 32 : 128)) return InvalidArgument("invalid_cidr");
  }
  c.prefix = v4 ? prefix + 96 : prefix;
  return c;
}

bool Cidr::Contains(const IpBytes& ip) const {
  int bits = prefix;
  for (size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((ip[i] & mask) != (addr[i] & mask)) return false;
  }
  return true;
}

bool InNetworks(std::span<const Cidr> networks, std::string_view ip) {
  if (networks.empty()) return false;
  IpBytes addr{};
  if (!ParseIp(ip, addr)) return false;
  for (const auto& c : networks) {
    if (c.Contains(addr)) return true;
  }
  return false;
}

std::string ClientIp(std::string_view peer, std::string_view forwarded_for,
                     std::span<const Cidr> trusted) {
  if (trusted.empty() || Trim(forwarded_for).empty() || !InNetworks(trusted, peer)) {
    return std::string(peer);
  }
  std::string_view client = peer;
  std::string_view rest = forwarded_for;
  while (!rest.empty()) {
    const size_t comma = rest.rfind(',');
    const std::string_view hop =
        HopAddress(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    IpBytes addr{};
    if (!ParseIp(hop, addr)) break;  // garbage: believe nothing further left
    client = hop;
    bool hop_trusted = false;
    for (const auto& c : trusted) hop_trusted = hop_trusted || c.Contains(addr);
    if (!hop_trusted) break;
  }
  return std::string(client);
}

std::string AnonymizeIp(std::string_view ip) {
  std::string s(ip);
  // IPv4-mapped IPv6 ("::ffff:1.2.3.4") is reported as IPv4.
  if (s.rfind("::ffff:", 0) == 0 && s.find('.') != std::string::npos) s = s.substr(7);
  char out[INET6_ADDRSTRLEN] = {};
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    reinterpret_cast<unsigned char*>(&v4.s_addr)[3] = 0;
    inet_ntop(AF_INET, &v4, out, sizeof out);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memset(v6.s6_addr + 6, 0, 10);
    inet_ntop(AF_INET6, &v6, out, sizeof out);
    return out;
  }
  return "invalid";
}

}  // namespace hcms
