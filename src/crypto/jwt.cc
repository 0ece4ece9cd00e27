#include "crypto/jwt.h"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <jwt.h>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <sys/stat.h>

#include "core/random.h"

namespace hcms::crypto {

namespace {

constexpr std::string_view kAlg = "HS256";

std::unexpected<Error> Unauth(std::string code) {
  return std::unexpected(Error(ErrorKind::kUnauthenticated, std::move(code)));
}

struct JwtFree {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

struct CharFree {
  void operator()(char* p) const { std::free(p); }
};
using CharPtr = std::unique_ptr<char, CharFree>;

Result<std::string> Encode(jwt_alg_t alg, std::string_view kid, const std::vector<uint8_t>& key,
                           const nlohmann::json& payload) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return Internal("jwt_new failed");
  JwtPtr jwt(raw);
  if (jwt_set_alg(jwt.get(), alg, key.empty() ? nullptr : key.data(),
                  static_cast<int>(key.size())) != 0) {
    return Internal("jwt_set_alg failed");
  }
  if (!kid.empty() && jwt_add_header(jwt.get(), "kid", std::string(kid).c_str()) != 0) {
    return Internal("jwt_add_header failed");
  }
  if (jwt_add_grants_json(jwt.get(), payload.dump().c_str()) != 0) {
    return Internal("jwt_add_grants_json failed");
  }
  CharPtr out(jwt_encode_str(jwt.get()));
  if (!out) return Internal("jwt_encode_str failed");
  return std::string(out.get());
}

Status WriteFileAtomically(const std::string& path, std::string_view content) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc | std::ios::binary);
    out << content;
    if (!out) return Unavailable("key_file_unwritable", "cannot write " + tmp);
  }
  ::chmod(tmp.c_str(), 0600);
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Unavailable("key_file_unwritable", ec.message());
  return Ok();
}

std::string Serialize(const KeyRing& ring) {
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& k : ring.keys) {
    keys.push_back(
        {{"kid", k.kid},
         {"secret", Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(k.secret.data()),
                                                     k.secret.size()))},
         {"created_at", k.created_at}});
  }
  return nlohmann::json{{"active", ring.active}, {"keys", keys}}.dump(2) + "\n";
}

JwtKey NewKey(TimePoint now) {
  JwtKey k;
  k.kid = RandomHex(8);
  k.secret.resize(32);
  RandomBytes(k.secret);
  k.created_at = FormatTimestamp(now);
  return k;
}

}  // namespace

const JwtKey* KeyRing::Find(std::string_view kid) const {
  for (const auto& k : keys) {
    if (k.kid == kid) return &k;
  }
  return nullptr;
}

std::string Base64UrlEncode(std::string_view bytes) {
  if (sodium_init() < 0) return {};
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  if (sodium_init() < 0) return Internal("sodium_init failed");
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return InvalidArgument("invalid_base64");
  }
  out.resize(len);
  return out;
}

KeyRing NewKeyRing(TimePoint now) {
  KeyRing ring;
  ring.keys.push_back(NewKey(now));
  ring.active = ring.keys.back().kid;
  return ring;
}

Result<KeyRing> LoadOrCreateKeyRing(const std::string& path, TimePoint now) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (std::filesystem::exists(path)) {
      return Unavailable("key_file_unreadable", "cannot read " + path);
    }
    KeyRing ring = NewKeyRing(now);
    HCMS_CHECK(WriteFileAtomically(path, Serialize(ring)));
    return ring;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto bad = [&](std::string why) {
    return std::unexpected(Error(ErrorKind::kInvalidArgument, "key_file_invalid",
                                 "Arquivo de chaves JWT inválido: " + path, why));
  };
  try {
    const auto j = nlohmann::json::parse(ss.str());
    KeyRing ring;
    ring.active = j.at("active").get<std::string>();
    for (const auto& k : j.at("keys")) {
      JwtKey key;
      key.kid = k.at("kid").get<std::string>();
      auto secret = Base64UrlDecode(k.at("secret").get<std::string>());
      if (!secret || secret->size() < 32) return bad("secret shorter than 32 bytes");
      key.secret.assign(secret->begin(), secret->end());
      key.created_at = k.value("created_at", "");
      ring.keys.push_back(std::move(key));
    }
    if (ring.Find(ring.active) == nullptr) return bad("active key id not in the ring");
    return ring;
  } catch (const nlohmann::json::exception& e) {
    return bad(e.what());
  }
}

Result<KeyRing> RotateKeyRing(const std::string& path, TimePoint now, size_t keep) {
  HCMS_TRY(KeyRing ring, LoadOrCreateKeyRing(path, now));
  KeyRing next;
  next.keys.push_back(NewKey(now));
  next.active = next.keys.front().kid;
  // Previous keys, newest first (the active one first of all).
  std::vector<JwtKey> old;
  if (const JwtKey* a = ring.Find(ring.active)) old.push_back(*a);
  for (auto it = ring.keys.rbegin(); it != ring.keys.rend(); ++it) {
    if (it->kid != ring.active) old.push_back(*it);
  }
  for (size_t i = 0; i < old.size() && i < keep; ++i) next.keys.push_back(old[i]);
  HCMS_CHECK(WriteFileAtomically(path, Serialize(next)));
  return next;
}

Result<std::string> SignJwt(const KeyRing& ring, const nlohmann::json& payload) {
  const JwtKey* key = ring.Find(ring.active);
  if (key == nullptr) return Internal("active JWT key missing");
  return Encode(JWT_ALG_HS256, key->kid, key->secret, payload);
}

Result<std::string> SignJwtWith(std::string_view alg, std::string_view kid,
                                const std::vector<uint8_t>& key, const nlohmann::json& payload) {
  const jwt_alg_t a = jwt_str_alg(std::string(alg).c_str());
  if (a == JWT_ALG_TERM) return InvalidArgument("unknown_algorithm");
  return Encode(a, kid, key, payload);
}

Result<nlohmann::json> VerifyJwt(const KeyRing& ring, std::string_view token, TimePoint now,
                                 std::chrono::seconds leeway) {
  if (token.size() > 8192) return Unauth("token_malformed");
  const size_t dot1 = token.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot1 == std::string_view::npos || dot2 == std::string_view::npos ||
      token.find('.', dot2 + 1) != std::string_view::npos || dot2 + 1 >= token.size()) {
    // An empty signature part is what alg=none looks like.
    if (dot2 != std::string_view::npos && dot2 + 1 == token.size()) {
      return Unauth("token_algorithm_rejected");
    }
    return Unauth("token_malformed");
  }
  // Our own look at the header first: libjwt 1.10 would follow whatever `alg` says.
  auto header_text = Base64UrlDecode(token.substr(0, dot1));
  if (!header_text) return Unauth("token_malformed");
  nlohmann::json header = nlohmann::json::parse(*header_text, nullptr, false);
  if (header.is_discarded() || !header.is_object()) return Unauth("token_malformed");
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || alg->get<std::string>() != kAlg) {
    return Unauth("token_algorithm_rejected");
  }
  const auto kid = header.find("kid");
  if (kid == header.end() || !kid->is_string()) return Unauth("token_key_unknown");
  const JwtKey* key = ring.Find(kid->get<std::string>());
  if (key == nullptr) return Unauth("token_key_unknown");

  const std::string token_z(token);
  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, token_z.c_str(), key->secret.data(), static_cast<int>(key->secret.size())) !=
          0 ||
      raw == nullptr) {
    if (raw != nullptr) jwt_free(raw);
    return Unauth("token_signature_invalid");
  }
  JwtPtr jwt(raw);
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) return Unauth("token_algorithm_rejected");
  CharPtr grants(jwt_get_grants_json(jwt.get(), nullptr));
  if (!grants) return Unauth("token_malformed");
  nlohmann::json claims = nlohmann::json::parse(grants.get(), nullptr, false);
  if (claims.is_discarded() || !claims.is_object()) return Unauth("token_malformed");

  const int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const auto exp = claims.find("exp");
  if (exp == claims.end() || !exp->is_number_integer()) return Unauth("token_malformed");
  if (now_s >= exp->get<int64_t>() + leeway.count()) return Unauth("token_expired");
  if (const auto nbf = claims.find("nbf"); nbf != claims.end()) {
    if (!nbf->is_number_integer()) return Unauth("token_malformed");
    if (now_s + leeway.count() < nbf->get<int64_t>()) return Unauth("token_not_yet_valid");
  }
  if (const auto iat = claims.find("iat"); iat != claims.end()) {
    if (!iat->is_number_integer()) return Unauth("token_malformed");
    if (now_s + leeway.count() < iat->get<int64_t>()) return Unauth("token_not_yet_valid");
  }
  return claims;
}

}  // namespace hcms::crypto
