// Authentication methods references (RFC 8176) as bits, as the tokens, sessions and
// the policy engine carry them: "pwd", "otp", "app" (application password), "rec"
// (MFA recovery code).

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hcms::accounts {

enum AmrBits : uint8_t {
  kAmrPassword = 1,
  kAmrOtp = 2,
  kAmrAppPassword = 4,
  kAmrRecoveryCode = 8,
};

// "pwd otp" <-> bits.
std::string AmrToString(uint8_t amr);
uint8_t AmrFromString(std::string_view text);
std::vector<std::string> AmrList(uint8_t amr);

}  // namespace hcms::accounts
