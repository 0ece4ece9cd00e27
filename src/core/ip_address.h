// IP addresses as the server may keep them: anonymised.
//
// An IP address is personal data under LGPD/GDPR. Logs, metrics and audit rows
// only ever see the anonymised form: IPv4 with the last octet zeroed
// (203.0.113.0), IPv6 reduced to its /48 prefix (2001:db8:abcd::).

#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hcms {

// The anonymised text form, or "invalid" when `ip` is not an address.
std::string AnonymizeIp(std::string_view ip);

}  // namespace hcms
