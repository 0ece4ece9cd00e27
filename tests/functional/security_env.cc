#include "tests/functional/security_env.h"

#include <chrono>
#include <stdexcept>

#include <fmt/format.h>

#include "accounts/totp.h"
#include "core/clock.h"
#include "tests/support/temp_dir.h"

namespace hcms::testing {

namespace {

const char* kRoles[] = {"super_admin", "practice_admin", "editor", "doctor",
                        "reviewer",    "contributor",    "reader"};

TempDir& PolicyDir() {
  static TempDir dir;
  return dir;
}

}  // namespace

nlohmann::json Json(const HttpResponse& r) { return nlohmann::json::parse(r.body, nullptr, false); }

SecurityEnv& SecurityEnv::Get(Backend backend) {
  static std::map<Backend, std::unique_ptr<SecurityEnv>> envs;
  auto& e = envs[backend];
  if (!e) e = std::make_unique<SecurityEnv>(backend);
  return *e;
}

SecurityEnv::SecurityEnv(Backend backend, std::string extra_toml, std::string extra_policy) {
  policy_path = PolicyDir().File(
      fmt::format("policy-{}-{}.toml", BackendName(backend), reinterpret_cast<uintptr_t>(this)));
  // Working hours all day, so that the time of day does not make tests flaky.
  WriteFile(policy_path,
            fmt::format("[hours]\nstart = \"00:00\"\nend = \"24:00\"\n{}", extra_policy));
  HcmsOptions o;
  o.backend = backend;
  o.extra_toml = fmt::format(
      "[policy]\nfile = \"{}\"\n[auth]\nip_max_failures = 100000\ncookie_secure = true\n{}",
      policy_path, extra_toml);
  server_ = std::make_unique<HcmsProcess>(o);
  auto r = server_->Cli(
      {"tenant", "create", "--slug", "clinica-a", "--name", "Clínica A", "--host", "a.test"});
  if (r.status != 0) throw std::runtime_error("tenant a: " + r.err);
  r = server_->Cli(
      {"tenant", "create", "--slug", "clinica-b", "--name", "Clínica B", "--host", "b.test"});
  if (r.status != 0) throw std::runtime_error("tenant b: " + r.err);
  CreateUsers("clinica-a", "a");
  CreateUsers("clinica-b", "b");
}

void SecurityEnv::CreateUsers(const std::string& slug, const std::string& tenant) {
  for (const char* role : kRoles) {
    auto r =
        server_->Cli({"user", "create", "--tenant", slug, "--email", Email(tenant, role), "--name",
                      fmt::format("User {}", role), "--role", role, "--password-stdin"},
                     fmt::format("{}\n", Password()));
    if (r.status != 0) throw std::runtime_error(fmt::format("user {}: {}", role, r.err));
  }
}

std::string SecurityEnv::Email(const std::string& tenant, const std::string& role) const {
  return role + "@" + tenant + ".test";
}

HttpResponse SecurityEnv::Call(std::string_view method, std::string_view target,
                               std::string_view body, const CallOptions& o) const {
  Connection c(server_->port());
  std::string req =
      fmt::format("{} {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", method, target, o.host);
  if (!o.token.empty()) req += "Authorization: Bearer " + o.token + "\r\n";
  req += o.extra_headers;
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    if (!o.content_type.empty()) req += "Content-Type: " + o.content_type + "\r\n";
    req += fmt::format("Content-Length: {}\r\n", body.size());
  }
  req += "\r\n";
  req += body;
  if (!c.Send(req)) throw std::runtime_error("send failed");
  auto r = c.Read(method == "HEAD");
  if (!r) throw std::runtime_error("no response");
  return *r;
}

std::string SecurityEnv::TotpNow(const std::string& secret) const {
  return *accounts::TotpCode(secret, SystemClock::Instance().Now());
}

Tokens SecurityEnv::Login(const std::string& tenant, const std::string& role,
                          std::string_view device) {
  nlohmann::json body = {{"email", Email(tenant, role)}, {"password", Password()}};
  if (auto it = totp_secrets.find(tenant + "/" + role); it != totp_secrets.end())
    body["otp"] = TotpNow(it->second);
  auto r = Call(
      "POST", "/api/v1/auth/login", body.dump(),
      {.host = fmt::format("{}.test", tenant),
       .extra_headers = device.empty()
                            ? fmt::format("X-Device-Id: device-{}-{}-0123456789\r\n", tenant, role)
                            : fmt::format("X-Device-Id: {}\r\n", device)});
  if (r.status != 200) throw std::runtime_error("login failed: " + r.body);
  auto j = Json(r);
  Tokens t;
  t.access = j.value("access_token", "");
  t.refresh = j.value("refresh_token", "");
  t.session_id = j.value("session_id", "");
  t.body = j;
  return t;
}

std::string SecurityEnv::EnableMfa(const std::string& tenant, const std::string& role) {
  const std::string key = tenant + "/" + role;
  if (auto it = totp_secrets.find(key); it != totp_secrets.end()) return it->second;
  Tokens t = Login(tenant, role);
  CallOptions o{.token = t.access, .host = tenant + ".test"};
  auto r = Call("POST", "/api/v1/auth/mfa/enroll", "{}", o);
  if (r.status != 200) throw std::runtime_error("enroll failed: " + r.body);
  const std::string secret = Json(r)["secret"];
  r = Call("POST", "/api/v1/auth/mfa/activate", nlohmann::json{{"otp", TotpNow(secret)}}.dump(), o);
  if (r.status != 200) throw std::runtime_error("activate failed: " + r.body);
  totp_secrets[key] = secret;
  return secret;
}

}  // namespace hcms::testing
