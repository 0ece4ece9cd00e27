// IP addresses: parsing, networks (CIDR), the client address behind trusted
// proxies, and the anonymised form the server may keep.
//
// An IP address is personal data under LGPD/GDPR. Logs, metrics and audit rows
// only ever see the anonymised form: IPv4 with the last octet zeroed
// (203.0.113.0), IPv6 reduced to its /48 prefix (2001:db8:abcd::).
//
//   auto net = Cidr::Parse("10.0.0.0/8");               // Result<Cidr>
//   IpBytes ip;
//   if (ParseIp("10.1.2.3", ip) && net->Contains(ip)) { ... }
//   std::string client = ClientIp(peer, req.Header("X-Forwarded-For"), trusted);

#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace hcms {

// An address in 16-byte form; IPv4 is stored as IPv4-mapped IPv6 (::ffff:a.b.c.d),
// so "10.0.0.1" and "::ffff:10.0.0.1" are the same address.
using IpBytes = std::array<uint8_t, 16>;

// Parses an IPv4/IPv6 address (no port, no brackets); false when invalid.
bool ParseIp(std::string_view text, IpBytes& out);

// An IPv4 or IPv6 network ("10.0.0.0/8", "2001:db8::/32", or one address).
struct Cidr {
  IpBytes addr{};
  int prefix = 128;  // over the 16-byte form (IPv4 prefixes + 96)
  // kInvalidArgument "invalid_cidr" when `text` is not an address or network.
  static Result<Cidr> Parse(std::string_view text);
  bool Contains(const IpBytes& ip) const;
};

// True when `ip` is a valid address inside one of `networks`.
bool InNetworks(std::span<const Cidr> networks, std::string_view ip);

// The client's address for a connection from `peer`. When the peer is one of the
// `trusted` proxies, X-Forwarded-For is read from the right and the first hop that
// is not a trusted proxy is the client (a client can prepend anything it likes, so
// hops left of the first untrusted one are never believed). An unparsable hop
// stops the walk at the last address seen. When the peer is not trusted, or the
// header is absent, the peer itself. `forwarded_for` may join several header
// lines with ", ".
std::string ClientIp(std::string_view peer, std::string_view forwarded_for,
                     std::span<const Cidr> trusted);

// The anonymised text form, or "invalid" when `ip` is not an address.
std::string AnonymizeIp(std::string_view ip);

}  // namespace hcms
