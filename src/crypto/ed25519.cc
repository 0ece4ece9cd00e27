#include "crypto/ed25519.h"

#include <cstdio>
#include <filesystem>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include "core/random.h"
#include "crypto/sha256.h"

namespace hcms::crypto {

namespace {

EVP_PKEY* Key(void* p) { return static_cast<EVP_PKEY*>(p); }

std::string RawPublicKey(EVP_PKEY* pkey) {
  unsigned char pub[32];
  size_t len = sizeof pub;
  if (EVP_PKEY_get_raw_public_key(pkey, pub, &len) != 1) return {};
  return std::string(reinterpret_cast<char*>(pub), len);
}

std::string KeyIdOf(EVP_PKEY* pkey) { return Sha256Hex(RawPublicKey(pkey)).substr(0, 16); }

bool FromHex(std::string_view hex, std::string& out) {
  if (hex.size() % 2 != 0) return false;
  out.clear();
  auto v = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = v(hex[i]), lo = v(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
  }
  return true;
}

bool Verify(EVP_PKEY* pkey, std::string_view message, std::string_view signature_hex) {
  std::string sig;
  if (!FromHex(signature_hex, sig) || sig.size() != 64) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok =
      ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pkey) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace

SigningKey::~SigningKey() {
  if (pkey_ != nullptr) EVP_PKEY_free(Key(pkey_));
}
SigningKey::SigningKey(SigningKey&& o) noexcept : pkey_(o.pkey_), key_id_(std::move(o.key_id_)) {
  o.pkey_ = nullptr;
}
SigningKey& SigningKey::operator=(SigningKey&& o) noexcept {
  if (this != &o) {
    if (pkey_ != nullptr) EVP_PKEY_free(Key(pkey_));
    pkey_ = o.pkey_;
    key_id_ = std::move(o.key_id_);
    o.pkey_ = nullptr;
  }
  return *this;
}

Result<SigningKey> SigningKey::Generate() {
  EVP_PKEY* pkey = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_keygen(ctx, &pkey) != 1) {
    EVP_PKEY_CTX_free(ctx);
    return Internal("Ed25519 key generation failed");
  }
  EVP_PKEY_CTX_free(ctx);
  SigningKey k;
  k.pkey_ = pkey;
  k.key_id_ = KeyIdOf(pkey);
  return k;
}

Result<SigningKey> SigningKey::LoadOrCreate(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    HCMS_TRY(SigningKey k, Generate());
    std::error_code ec;
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    const std::string tmp = path + ".tmp";
    FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) return Unavailable("signing_key_unavailable", "cannot create " + tmp);
    ::fchmod(fileno(f), 0600);
    const bool ok =
        PEM_write_PrivateKey(f, Key(k.pkey_), nullptr, nullptr, 0, nullptr, nullptr) == 1;
    std::fclose(f);
    if (!ok) return Unavailable("signing_key_unavailable", "cannot write " + tmp);
    std::filesystem::rename(tmp, path, ec);
    if (ec) return Unavailable("signing_key_unavailable", ec.message());
    return k;
  }
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Unavailable("signing_key_unavailable", "cannot read " + path);
  EVP_PKEY* pkey = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (pkey == nullptr || EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
    if (pkey != nullptr) EVP_PKEY_free(pkey);
    return std::unexpected(Error(ErrorKind::kInvalidArgument, "signing_key_invalid",
                                 "A chave de assinatura não é Ed25519: " + path));
  }
  SigningKey k;
  k.pkey_ = pkey;
  k.key_id_ = KeyIdOf(pkey);
  return k;
}

std::string SigningKey::SignHex(std::string_view message) const {
  unsigned char sig[64];
  size_t len = sizeof sig;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, Key(pkey_)) == 1 &&
      EVP_DigestSign(ctx, sig, &len, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return {};
  return HexEncode(std::span<const uint8_t>(sig, len));
}

bool SigningKey::VerifyHex(std::string_view message, std::string_view signature_hex) const {
  return Verify(Key(pkey_), message, signature_hex);
}

std::string SigningKey::PublicKeyHex() const {
  const std::string raw = RawPublicKey(Key(pkey_));
  return HexEncode(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()));
}

bool VerifyEd25519Hex(std::string_view public_key_hex, std::string_view message,
                      std::string_view signature_hex) {
  std::string raw;
  if (!FromHex(public_key_hex, raw) || raw.size() != 32) return false;
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  if (pkey == nullptr) return false;
  const bool ok = Verify(pkey, message, signature_hex);
  EVP_PKEY_free(pkey);
  return ok;
}

}  // namespace hcms::crypto
