// A running hcms with two practices and one user per role in each, for the
// security, audit and authorization-matrix tests. One per backend per test
// program, started on first use (starting servers is the slow part).
//
//   SecurityEnv& env = SecurityEnv::Get(Backend::kSqlite);
//   auto r = env.Call("GET", "/api/v1/auth/me", {}, {.token = env.Login("a", "editor").access});

#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/hcms_process.h"
#include "tests/support/http_client.h"

namespace hcms::testing {

struct CallOptions {
  std::string token;            // Bearer
  std::string host = "a.test";  // selects the practice
  std::string extra_headers;    // "Name: value\r\n" lines
  std::string content_type = "application/json";
};

struct Tokens {
  std::string access;
  std::string refresh;
  std::string session_id;
  nlohmann::json body;
};

class SecurityEnv {
 public:
  static SecurityEnv& Get(Backend backend);
  explicit SecurityEnv(Backend backend, std::string extra_toml = {}, std::string extra_policy = {});

  HttpResponse Call(std::string_view method, std::string_view target, std::string_view body = {},
                    const CallOptions& options = {}) const;
  // Password login (+ TOTP for users with MFA). tenant "a" or "b"; role name.
  // Sends a stable per-user device id, so the device is known from the second
  // sign-in on.
  // `device` overrides that id (a device the server has never seen).
  Tokens Login(const std::string& tenant, const std::string& role, std::string_view device = {});
  std::string Email(const std::string& tenant, const std::string& role) const;
  std::string Password() const { return "correct horse battery staple"; }
  std::string TotpNow(const std::string& secret) const;
  // Enrols TOTP MFA for the user and returns the secret.
  std::string EnableMfa(const std::string& tenant, const std::string& role);

  HcmsProcess& server() { return *server_; }
  std::string policy_path;
  std::map<std::string, std::string> totp_secrets;  // "a/editor" -> secret

 private:
  void CreateUsers(const std::string& tenant_slug, const std::string& tenant);
  std::unique_ptr<HcmsProcess> server_;
  std::string dir_;
};

nlohmann::json Json(const HttpResponse& r);

}  // namespace hcms::testing
