#include "core/ip_address.h"

#include <cstring>

#include <arpa/inet.h>

namespace hcms {

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
