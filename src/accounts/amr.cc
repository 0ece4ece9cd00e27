#include "accounts/amr.h"
#include <utility>

#include <array>

namespace hcms::accounts {

namespace {
constexpr std::array<std::pair<uint8_t, std::string_view>, 4> kNames{{
    {kAmrPassword, "pwd"},
    {kAmrOtp, "otp"},
    {kAmrAppPassword, "app"},
    {kAmrRecoveryCode, "rec"},
}};
}  // namespace

std::vector<std::string> AmrList(uint8_t amr) {
  std::vector<std::string> out;
  for (const auto& [bit, name] : kNames) {
    if (amr & bit) out.emplace_back(name);
  }
  return out;
}

std::string AmrToString(uint8_t amr) {
  std::string s;
  for (const auto& n : AmrList(amr)) s += (s.empty() ? "" : " ") + n;
  return s;
}

uint8_t AmrFromString(std::string_view text) {
  uint8_t amr = 0;
  while (!text.empty()) {
    const size_t sp = text.find(' ');
    const std::string_view word = text.substr(0, sp);
    for (const auto& [bit, name] : kNames) {
      if (name == word) amr |= bit;
    }
    text = sp == std::string_view::npos ? std::string_view() : text.substr(sp + 1);
  }
  return amr;
}

}  // namespace hcms::accounts
