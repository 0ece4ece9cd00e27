#include "accounts/totp.h"

#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <liboath/oath.h>
#include <sodium.h>
#include <sys/stat.h>

#include "core/random.h"
#include "crypto/jwt.h"
#include "crypto/sha256.h"

namespace hcms::accounts {

namespace {

constexpr unsigned kStep = 30;

void InitOath() {
  static const int once = oath_init();
  (void)once;
}

Result<std::string> DecodeSecret(std::string_view base32) {
  InitOath();
  char* out = nullptr;
  size_t len = 0;
  const std::string in(base32);
  if (oath_base32_decode(in.c_str(), in.size(), &out, &len) != OATH_OK || out == nullptr) {
    return InvalidArgument("invalid_totp_secret");
  }
  std::string secret(out, len);
  std::free(out);
  return secret;
}

std::string UriEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '@') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

time_t UnixSeconds(TimePoint t) {
  return static_cast<time_t>(
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

}  // namespace

std::string NewTotpSecret() {
  InitOath();
  uint8_t raw[20];
  RandomBytes(raw);
  char* out = nullptr;
  size_t len = 0;
  oath_base32_encode(reinterpret_cast<const char*>(raw), sizeof raw, &out, &len);
  std::string s(out, len);
  std::free(out);
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

Result<std::string> TotpCode(std::string_view secret_base32, TimePoint t) {
  HCMS_TRY(std::string secret, DecodeSecret(secret_base32));
  char otp[16] = {0};
  if (oath_totp_generate(secret.data(), secret.size(), UnixSeconds(t), kStep, 0, 6, otp) !=
      OATH_OK) {
    return Internal("oath_totp_generate failed");
  }
  return std::string(otp);
}

bool VerifyTotp(std::string_view secret_base32, std::string_view code, TimePoint now) {
  if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string_view::npos)
    return false;
  auto secret = DecodeSecret(secret_base32);
  if (!secret) return false;
  const std::string c(code);
  const int r =
      oath_totp_validate(secret->data(), secret->size(), UnixSeconds(now), kStep, 0, 1, c.c_str());
  return r >= 0;
}

std::string OtpAuthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32) {
  return fmt::format("otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
                     UriEncode(issuer), UriEncode(account), secret_base32, UriEncode(issuer));
}

std::vector<std::string> NewRecoveryCodes(size_t count) {
  static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";  // 31
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) {
    std::string code;
    while (code.size() < 14) {
      uint8_t b[16];
      RandomBytes(b);
      for (uint8_t x : b) {
        if (code.size() >= 14) break;
        if (code.size() == 4 || code.size() == 9) code += '-';
        if (x < 248) code += kAlphabet[x % kAlphabet.size()];
      }
    }
    out.push_back(code);
  }
  return out;
}

std::string HashRecoveryCode(std::string_view code) {
  std::string norm;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    norm += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return crypto::Sha256Hex("hcms-recovery:" + norm);
}

SecretBox SecretBox::FromKey(std::vector<uint8_t> key) {
  SecretBox b;
  b.key_ = std::move(key);
  return b;
}

Result<SecretBox> SecretBox::LoadOrCreate(const std::string& path) {
  if (sodium_init() < 0) return Internal("sodium_init failed");
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    auto raw = crypto::Base64UrlDecode(text);
    if (!raw || raw->size() != crypto_secretbox_KEYBYTES) {
      return std::unexpected(Error(ErrorKind::kInvalidArgument, "key_file_invalid",
                                   "Arquivo de chave de segredos inválido: " + path));
    }
    return FromKey(std::vector<uint8_t>(raw->begin(), raw->end()));
  }
  std::vector<uint8_t> key(crypto_secretbox_KEYBYTES);
  RandomBytes(key);
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc | std::ios::binary);
    out << crypto::Base64UrlEncode(
               std::string_view(reinterpret_cast<const char*>(key.data()), key.size()))
        << "\n";
    if (!out) return Unavailable("key_file_unwritable", "cannot write " + tmp);
  }
  ::chmod(tmp.c_str(), 0600);
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Unavailable("key_file_unwritable", ec.message());
  return FromKey(std::move(key));
}

std::string SecretBox::Seal(std::string_view plain) const {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nonce,
                        key_.data());
  return crypto::Base64UrlEncode(out);
}

Result<std::string> SecretBox::Open(std::string_view sealed) const {
  HCMS_TRY(std::string raw, crypto::Base64UrlDecode(sealed));
  if (raw.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    return Internal("sealed secret too short");
  const auto* nonce = reinterpret_cast<const unsigned char*>(raw.data());
  std::string plain(raw.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(plain.data()), nonce + crypto_secretbox_NONCEBYTES,
          raw.size() - crypto_secretbox_NONCEBYTES, nonce, key_.data()) != 0) {
    return Internal("sealed secret does not open (wrong key?)");
  }
  return plain;
}

}  // namespace hcms::accounts
