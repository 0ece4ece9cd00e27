// Sign-in, tokens, MFA, browser sessions, application passwords and the PEP,
// against the real server on SQLite and PostgreSQL.

#include <csignal>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "accounts/password.h"
#include "core/clock.h"
#include "crypto/jwt.h"
#include "store/database.h"
#include "tests/functional/security_env.h"
#include "tests/support/db_fixture.h"
#include "tests/support/temp_dir.h"

namespace hcms::testing {
namespace {

class SecurityTest : public ::testing::TestWithParam<Backend> {
 protected:
  SecurityEnv& env() { return SecurityEnv::Get(GetParam()); }
  crypto::KeyRing Keys() {
    auto ring = crypto::LoadOrCreateKeyRing(env().server().data_dir() + "/keys/jwt.json",
                                            SystemClock::Instance().Now());
    EXPECT_TRUE(ring);
    return *ring;
  }
  // Claims like a real access token of `t`, for forging variants.
  nlohmann::json ClaimsOf(const Tokens& t) {
    const std::string& a = t.access;
    const size_t d1 = a.find('.'), d2 = a.rfind('.');
    return nlohmann::json::parse(*crypto::Base64UrlDecode(a.substr(d1 + 1, d2 - d1 - 1)));
  }
  HttpResponse Me(const std::string& token, const std::string& host = "a.test") {
    return env().Call("GET", "/api/v1/auth/me", {}, {.token = token, .host = host});
  }
  static int64_t Now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               SystemClock::Instance().Now().time_since_epoch())
        .count();
  }
};

TEST_P(SecurityTest, LoginIssuesTokensAndMeDescribesThePrincipal) {
  Tokens t = env().Login("a", "editor");
  EXPECT_FALSE(t.access.empty());
  EXPECT_FALSE(t.refresh.empty());
  EXPECT_EQ(t.body["token_type"], "Bearer");
  EXPECT_EQ(t.body["user"]["role"], "editor");
  auto claims = ClaimsOf(t);
  for (const char* c : {"sub", "tenant", "role", "amr", "trust_score", "jti", "exp", "sid"})
    EXPECT_TRUE(claims.contains(c)) << c;
  auto r = Me(t.access);
  ASSERT_EQ(r.status, 200) << r.body;
  auto me = Json(r);
  EXPECT_EQ(me["user"]["email"], env().Email("a", "editor"));
  EXPECT_EQ(me["tenant"]["slug"], "clinica-a");
  EXPECT_EQ(me["amr"], nlohmann::json::array({"pwd"}));
  EXPECT_GT(me["trust_score"].get<int>(), 0);
  EXPECT_EQ(r.Header("cache-control"), "no-store");
}

TEST_P(SecurityTest, LoginNeverRevealsWhetherTheEmailExists) {
  auto wrong_pw =
      env().Call("POST", "/api/v1/auth/login",
                 R"({"email":"reader@b.test","password":"not the password!"})", {.host = "b.test"});
  auto no_user =
      env().Call("POST", "/api/v1/auth/login",
                 R"({"email":"nobody@b.test","password":"not the password!"})", {.host = "b.test"});
  EXPECT_EQ(wrong_pw.status, 401);
  EXPECT_EQ(no_user.status, 401);
  auto a = Json(wrong_pw), b = Json(no_user);
  a.erase("request_id");
  b.erase("request_id");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a["code"], "invalid_credentials");
  EXPECT_EQ(wrong_pw.Header("content-type"), "application/problem+json");
}

TEST_P(SecurityTest, LoginValidatesItsInput) {
  auto r = env().Call("POST", "/api/v1/auth/login", R"({"email":1})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Json(r)["code"], "validation_failed");
  r = env().Call("POST", "/api/v1/auth/login", "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Json(r)["code"], "invalid_json");
  r = env().Call("POST", "/api/v1/auth/login", "email=x", {.content_type = "text/plain"});
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(Json(r)["code"], "unsupported_media_type");
}

TEST_P(SecurityTest, AnonymousCallersGet401OnProtectedRoutesButPublicRoutesWork) {
  auto r = env().Call("GET", "/api/v1/auth/me");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json(r)["code"], "unauthenticated");
  EXPECT_THAT(r.Header("www-authenticate"), ::testing::HasSubstr("Bearer"));
  EXPECT_EQ(env().Call("GET", "/api/v1/site").status, 200);
  // Bad credentials on a public route are ignored, not fatal.
  EXPECT_EQ(env().Call("GET", "/api/v1/site", {}, {.token = "garbage"}).status, 200);
}

// --- Each token attack against the real server ---------------------------------

TEST_P(SecurityTest, RejectsAlgNoneTokens) {
  Tokens t = env().Login("a", "reader");
  auto none = crypto::SignJwtWith("none", Keys().active, {}, ClaimsOf(t));
  ASSERT_TRUE(none);
  auto r = Me(*none);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json(r)["code"], "token_algorithm_rejected");
}

TEST_P(SecurityTest, RejectsAlgorithmConfusion) {
  Tokens t = env().Login("a", "reader");
  crypto::KeyRing ring = Keys();
  // Right key, other HMAC size.
  auto hs512 = crypto::SignJwtWith("HS512", ring.active, ring.keys[0].secret, ClaimsOf(t));
  EXPECT_EQ(Json(Me(*hs512))["code"], "token_algorithm_rejected");
  // An asymmetric algorithm name over an HMAC signature.
  const std::string header = crypto::Base64UrlEncode(
      nlohmann::json{{"alg", "RS256"}, {"kid", ring.active}, {"typ", "JWT"}}.dump());
  const std::string forged = header + t.access.substr(t.access.find('.'));
  auto r = Me(forged);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json(r)["code"], "token_algorithm_rejected");
}

TEST_P(SecurityTest, RejectsTamperedSignatures) {
  Tokens t = env().Login("a", "reader");
  auto claims = ClaimsOf(t);
  claims["role"] = "super_admin";  // privilege escalation attempt
  const std::string payload = crypto::Base64UrlEncode(claims.dump());
  const size_t d1 = t.access.find('.'), d2 = t.access.rfind('.');
  const std::string tampered = t.access.substr(0, d1 + 1) + payload + t.access.substr(d2);
  auto r = Me(tampered);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json(r)["code"], "token_signature_invalid");
  // Signed with a key the server does not have, under its key id.
  std::vector<uint8_t> other(32, 7);
  auto foreign = crypto::SignJwtWith("HS256", Keys().active, other, ClaimsOf(t));
  EXPECT_EQ(Json(Me(*foreign))["code"], "token_signature_invalid");
}

TEST_P(SecurityTest, RejectsExpiredTokens) {
  Tokens t = env().Login("a", "reader");
  auto claims = ClaimsOf(t);
  claims["iat"] = Now() - 3600;
  claims["nbf"] = Now() - 3600;
  claims["exp"] = Now() - 60;
  auto r = Me(*crypto::SignJwt(Keys(), claims));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json(r)["code"], "token_expired");
}

TEST_P(SecurityTest, RejectsNotYetValidTokens) {
  Tokens t = env().Login("a", "reader");
  auto claims = ClaimsOf(t);
  claims["nbf"] = Now() + 600;
  claims["exp"] = Now() + 1200;
  auto r = Me(*crypto::SignJwt(Keys(), claims));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json(r)["code"], "token_not_yet_valid");
}

TEST_P(SecurityTest, RejectsTokensOfAnotherTenant) {
  Tokens t = env().Login("a", "practice_admin");
  auto r = Me(t.access, "b.test");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json(r)["code"], "token_wrong_tenant");
  // Even a validly signed token that claims tenant B for a user of A.
  auto claims = ClaimsOf(t);
  claims["tenant"] = claims["tenant"].get<int64_t>() + 1;
  EXPECT_EQ(Json(Me(*crypto::SignJwt(Keys(), claims), "b.test"))["code"], "token_revoked");
}

TEST_P(SecurityTest, RejectsRevokedTokens) {
  Tokens t = env().Login("a", "contributor");
  ASSERT_EQ(Me(t.access).status, 200);
  auto out = env().Call("POST", "/api/v1/auth/logout", {}, {.token = t.access});
  ASSERT_EQ(out.status, 204) << out.body;
  auto r = Me(t.access);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json(r)["code"], "token_revoked");
  // And its refresh token is dead too.
  auto refresh = env().Call("POST", "/api/v1/auth/refresh",
                            nlohmann::json{{"refresh_token", t.refresh}}.dump());
  EXPECT_EQ(refresh.status, 401);
}

TEST_P(SecurityTest, RejectsUnknownKeyIds) {
  Tokens t = env().Login("a", "reader");
  auto forged = crypto::SignJwtWith("HS256", "no-such-key", Keys().keys[0].secret, ClaimsOf(t));
  EXPECT_EQ(Json(Me(*forged))["code"], "token_key_unknown");
}

// --- Refresh rotation ---------------------------------------------------------------

TEST_P(SecurityTest, RefreshRotatesAndReuseRevokesTheFamily) {
  Tokens t = env().Login("a", "doctor");
  auto r1 = env().Call("POST", "/api/v1/auth/refresh",
                       nlohmann::json{{"refresh_token", t.refresh}}.dump());
  ASSERT_EQ(r1.status, 200) << r1.body;
  auto j1 = Json(r1);
  EXPECT_NE(j1["refresh_token"], t.refresh);
  EXPECT_EQ(j1["session_id"], t.session_id);
  ASSERT_EQ(Me(j1["access_token"]).status, 200);
  // The old refresh token comes back: theft. The whole family dies.
  auto reuse = env().Call("POST", "/api/v1/auth/refresh",
                          nlohmann::json{{"refresh_token", t.refresh}}.dump());
  EXPECT_EQ(reuse.status, 401);
  EXPECT_EQ(Json(reuse)["code"], "refresh_token_reused");
  auto r2 = env().Call("POST", "/api/v1/auth/refresh",
                       nlohmann::json{{"refresh_token", j1["refresh_token"]}}.dump());
  EXPECT_EQ(r2.status, 401);
  // Access tokens of the family stop working within the revocation cache TTL.
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ(Json(Me(j1["access_token"]))["code"], "token_revoked");
}

// --- Browser sessions ---------------------------------------------------------------

TEST_P(SecurityTest, BrowserSessionsUseHardenedCookiesAndCsrf) {
  auto r = env().Call("POST", "/api/v1/auth/login",
                      nlohmann::json{{"email", env().Email("a", "reviewer")},
                                     {"password", env().Password()},
                                     {"session", "cookie"}}
                          .dump());
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Json(r);
  EXPECT_FALSE(body.contains("access_token"));  // never readable by scripts
  const std::string csrf = body["csrf_token"];
  std::map<std::string, std::string> cookies;
  for (auto [it, end] = r.headers.equal_range("set-cookie"); it != end; ++it) {
    const std::string& c = it->second;
    const std::string name = c.substr(0, c.find('='));
    cookies[name] = c;
    EXPECT_THAT(c, ::testing::HasSubstr("Secure"));
    EXPECT_THAT(c, ::testing::HasSubstr("SameSite="));
  }
  ASSERT_TRUE(cookies.count("hcms_access"));
  EXPECT_THAT(cookies["hcms_access"], ::testing::HasSubstr("HttpOnly"));
  EXPECT_THAT(cookies["hcms_access"], ::testing::HasSubstr("SameSite=Strict"));
  EXPECT_THAT(cookies["hcms_refresh"], ::testing::HasSubstr("HttpOnly"));
  EXPECT_THAT(cookies["hcms_refresh"], ::testing::HasSubstr("Path=/api/v1/auth"));
  EXPECT_THAT(cookies["hcms_csrf"], ::testing::Not(::testing::HasSubstr("HttpOnly")));
  auto value = [&](const std::string& name) {
    const std::string& c = cookies[name];
    const size_t eq = c.find('=');
    return c.substr(eq + 1, c.find(';') - eq - 1);
  };
  const std::string cookie_header =
      "Cookie: hcms_access=" + value("hcms_access") + "; hcms_csrf=" + value("hcms_csrf") + "\r\n";
  // Safe method: the cookie alone is enough.
  auto me = env().Call("GET", "/api/v1/auth/me", {}, {.extra_headers = cookie_header});
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Json(me)["auth_method"], "cookie");
  // Unsafe method without the CSRF header: refused.
  auto no_csrf =
      env().Call("POST", "/api/v1/auth/mfa/enroll", "{}", {.extra_headers = cookie_header});
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(Json(no_csrf)["code"], "csrf_failed");
  auto wrong_csrf = env().Call("POST", "/api/v1/auth/mfa/enroll", "{}",
                               {.extra_headers = cookie_header + "X-CSRF-Token: forged\r\n"});
  EXPECT_EQ(Json(wrong_csrf)["code"], "csrf_failed");
  auto ok = env().Call("POST", "/api/v1/auth/mfa/enroll", "{}",
                       {.extra_headers = cookie_header + "X-CSRF-Token: " + csrf + "\r\n"});
  EXPECT_EQ(ok.status, 200) << ok.body;
  // Refresh through the cookie needs the double-submitted CSRF token as well.
  const std::string refresh_cookie = "Cookie: hcms_refresh=" + value("hcms_refresh") +
                                     "; hcms_csrf=" + value("hcms_csrf") + "\r\n";
  auto rf = env().Call("POST", "/api/v1/auth/refresh", {}, {.extra_headers = refresh_cookie});
  EXPECT_EQ(Json(rf)["code"], "csrf_failed");
  rf = env().Call(
      "POST", "/api/v1/auth/refresh", {},
      {.extra_headers = refresh_cookie + "X-CSRF-Token: " + value("hcms_csrf") + "\r\n"});
  EXPECT_EQ(rf.status, 200) << rf.body;
}

// --- Application passwords ----------------------------------------------------------

std::string BasicHeader(const std::string& user, const std::string& pw) {
  return "Authorization: Basic " + [&] {
    static constexpr char kB64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::string in = user + ":" + pw;
    std::string out;
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
      const uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
      out += kB64[n >> 18];
      out += kB64[(n >> 12) & 63];
      out += kB64[(n >> 6) & 63];
      out += kB64[n & 63];
    }
    if (i + 1 == in.size()) {
      const uint32_t n = uint8_t(in[i]) << 16;
      out += kB64[n >> 18];
      out += kB64[(n >> 12) & 63];
      out += "==";
    } else if (i + 2 == in.size()) {
      const uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
      out += kB64[n >> 18];
      out += kB64[(n >> 12) & 63];
      out += kB64[(n >> 6) & 63];
      out += '=';
    }
    return out;
  }() + "\r\n";
}

TEST_P(SecurityTest, ApplicationPasswordsWorkOnlyOverBasic) {
  env().EnableMfa("a", "practice_admin");
  Tokens t = env().Login("a", "practice_admin");
  auto created = env().Call("POST", "/api/v1/users/me/app-passwords", R"({"name":"WordPress app"})",
                            {.token = t.access});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string pw = Json(created)["password"];
  const std::string uuid = Json(created)["uuid"];
  EXPECT_EQ(pw.size(), 29u);  // "abcd efgh ijkl mnop qrst uvwx"
  const std::string email = env().Email("a", "practice_admin");
  auto me = env().Call("GET", "/api/v1/auth/me", {}, {.extra_headers = BasicHeader(email, pw)});
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Json(me)["auth_method"], "basic");
  EXPECT_EQ(Json(me)["amr"], nlohmann::json::array({"app"}));
  // Not at the login endpoint.
  auto login = env().Call("POST", "/api/v1/auth/login",
                          nlohmann::json{{"email", email}, {"password", pw}}.dump());
  EXPECT_EQ(login.status, 401);
  // The account password is not accepted over Basic.
  EXPECT_EQ(env()
                .Call("GET", "/api/v1/auth/me", {},
                      {.extra_headers = BasicHeader(email, env().Password())})
                .status,
            401);
  // Routes that refuse app passwords say so.
  auto nested = env().Call("POST", "/api/v1/users/me/app-passwords", R"({"name":"x"})",
                           {.extra_headers = BasicHeader(email, pw)});
  EXPECT_EQ(nested.status, 401);
  EXPECT_EQ(Json(nested)["code"], "app_password_not_allowed");
  // Another tenant's host does not know this user.
  EXPECT_EQ(env()
                .Call("GET", "/api/v1/auth/me", {},
                      {.host = "b.test", .extra_headers = BasicHeader(email, pw)})
                .status,
            401);
  // Revoked: gone.
  auto del =
      env().Call("DELETE", "/api/v1/users/me/app-passwords/" + uuid, {}, {.token = t.access});
  EXPECT_EQ(del.status, 204) << del.body;
  EXPECT_EQ(
      env().Call("GET", "/api/v1/auth/me", {}, {.extra_headers = BasicHeader(email, pw)}).status,
      401);
}

// --- MFA and the PEP's challenge ------------------------------------------------------

TEST_P(SecurityTest, ConfidentialRoutesChallengePasswordOnlySessionsUntilStepUp) {
  // A device never seen before, password only.
  Tokens t = env().Login("b", "editor", "never-seen-device-5f1c2a9e");
  auto r = env().Call("GET", "/api/v1/users/me/app-passwords", {},
                      {.token = t.access, .host = "b.test"});
  ASSERT_EQ(r.status, 401) << r.body;
  auto j = Json(r);
  EXPECT_EQ(j["code"], "mfa_required");
  EXPECT_EQ(j["decision"], "challenge");
  EXPECT_EQ(j["required_score"], 70);
  EXPECT_LT(j["trust_score"].get<int>(), 70);
  EXPECT_THAT(r.Header("www-authenticate"),
              ::testing::HasSubstr("insufficient_user_authentication"));
  // Enrol, then step up the same session.
  CallOptions o{.token = t.access, .host = "b.test"};
  auto enroll = env().Call("POST", "/api/v1/auth/mfa/enroll", "{}", o);
  ASSERT_EQ(enroll.status, 200) << enroll.body;
  const std::string secret = Json(enroll)["secret"];
  EXPECT_THAT(Json(enroll)["otpauth_uri"].get<std::string>(),
              ::testing::StartsWith("otpauth://totp/"));
  auto bad = env().Call("POST", "/api/v1/auth/mfa/activate", R"({"otp":"000000"})", o);
  EXPECT_EQ(bad.status, 400);
  auto act = env().Call("POST", "/api/v1/auth/mfa/activate",
                        nlohmann::json{{"otp", env().TotpNow(secret)}}.dump(), o);
  ASSERT_EQ(act.status, 200) << act.body;
  EXPECT_EQ(Json(act)["recovery_codes"].size(), 10u);
  env().totp_secrets["b/editor"] = secret;
  auto up = env().Call("POST", "/api/v1/auth/step-up",
                       nlohmann::json{{"otp", env().TotpNow(secret)}}.dump(), o);
  ASSERT_EQ(up.status, 200) << up.body;
  const std::string stepped = Json(up)["access_token"];
  EXPECT_EQ(Json(up)["amr"], nlohmann::json::array({"pwd", "otp"}));
  auto again =
      env().Call("GET", "/api/v1/users/me/app-passwords", {}, {.token = stepped, .host = "b.test"});
  EXPECT_EQ(again.status, 200) << again.body;
  // Password-only login now asks for the second factor, and a recovery code works once.
  auto first = env().Call(
      "POST", "/api/v1/auth/login",
      nlohmann::json{{"email", env().Email("b", "editor")}, {"password", env().Password()}}.dump(),
      {.host = "b.test"});
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(Json(first)["mfa_required"], true);
  const std::string code = Json(act)["recovery_codes"][0];
  auto second = env().Call(
      "POST", "/api/v1/auth/mfa",
      nlohmann::json{{"mfa_token", Json(first)["mfa_token"]}, {"recovery_code", code}}.dump(),
      {.host = "b.test"});
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(Json(second)["amr"], nlohmann::json::array({"pwd", "rec"}));
  auto replay = env().Call(
      "POST", "/api/v1/auth/mfa",
      nlohmann::json{{"mfa_token", Json(first)["mfa_token"]}, {"recovery_code", code}}.dump(),
      {.host = "b.test"});
  EXPECT_EQ(replay.status, 401);
}

TEST_P(SecurityTest, PasswordChangeNeedsTheCurrentOneAndEndsOtherSessions) {
  Tokens other = env().Login("b", "contributor");
  Tokens t = env().Login("b", "contributor");
  CallOptions o{.token = t.access, .host = "b.test"};
  auto wrong = env().Call(
      "POST", "/api/v1/users/me/password",
      R"({"current_password":"not it at all","new_password":"a brand new passphrase"})", o);
  EXPECT_EQ(wrong.status, 401);
  auto weak = env().Call(
      "POST", "/api/v1/users/me/password",
      nlohmann::json{{"current_password", env().Password()}, {"new_password", "short"}}.dump(), o);
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(Json(weak)["code"], "weak_password");
  auto ok = env().Call("POST", "/api/v1/users/me/password",
                       nlohmann::json{{"current_password", env().Password()},
                                      {"new_password", "a brand new passphrase"}}
                           .dump(),
                       o);
  ASSERT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(Me(t.access, "b.test").status, 200);  // this session stays
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ(Json(Me(other.access, "b.test"))["code"], "token_revoked");
  auto old_pw = env().Call(
      "POST", "/api/v1/auth/login",
      nlohmann::json{{"email", env().Email("b", "contributor")}, {"password", env().Password()}}
          .dump(),
      {.host = "b.test"});
  EXPECT_EQ(old_pw.status, 401);
  // Put it back for the other tests.
  auto back = env().Call("POST", "/api/v1/users/me/password",
                         nlohmann::json{{"current_password", "a brand new passphrase"},
                                        {"new_password", env().Password()}}
                             .dump(),
                         o);
  EXPECT_EQ(back.status, 204) << back.body;
}

HCMS_INSTANTIATE_BACKENDS(SecurityTest);

// --- Throttling and policy reload: their own servers ----------------------------------

TEST(LoginThrottling, LocksAccountsAndIpsWithBackoffWithoutRevealingAccounts) {
  SecurityEnv env(Backend::kSqlite, "max_failures = 3\nlockout_s = 30\nip_window_s = 600\n");
  // The env wrote ip_max_failures = 100000; per-account lockout first.
  auto login = [&](const std::string& email, const std::string& pw) {
    return env.Call("POST", "/api/v1/auth/login",
                    nlohmann::json{{"email", email}, {"password", pw}}.dump());
  };
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(login(env.Email("a", "reader"), "wrong password!!").status, 401);
  auto locked = login(env.Email("a", "reader"), env.Password());  // even the right password
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(Json(locked)["code"], "login_throttled");
  EXPECT_GE(std::stoi(locked.Header("retry-after")), 29);
  // An address that does not exist locks exactly the same way.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(login("ghost@a.test", "wrong password!!").status, 401);
  auto ghost = login("ghost@a.test", "wrong password!!");
  EXPECT_EQ(ghost.status, 429);
  EXPECT_EQ(ghost.Header("retry-after"), locked.Header("retry-after"));
  // Other accounts are unaffected.
  EXPECT_EQ(login(env.Email("a", "editor"), env.Password()).status, 200);
}

TEST(LoginThrottling, BlocksAnIpAfterTooManyFailures) {
  HcmsOptions o;
  o.extra_toml = "[auth]\nip_max_failures = 5\nmax_failures = 100\n";
  HcmsProcess server(o);
  auto login = [&](int i) {
    return Request(server.port(), "POST", "/api/v1/auth/login",
                   nlohmann::json{{"email", "user" + std::to_string(i) + "@x.test"},
                                  {"password", "wrong password!!"}}
                       .dump(),
                   "Content-Type: application/json\r\n");
  };
  for (int i = 0; i < 5; ++i) EXPECT_EQ(login(i)->status, 401);
  auto blocked = login(99);
  ASSERT_TRUE(blocked);
  EXPECT_EQ(blocked->status, 429);
  EXPECT_FALSE(blocked->Header("retry-after").empty());
}

TEST(PolicyReload, SighupAppliesANewPolicyWithoutRestart) {
  SecurityEnv env(Backend::kSqlite);
  Tokens t = env.Login("a", "reader");
  ASSERT_EQ(env.Call("GET", "/api/v1/auth/me", {}, {.token = t.access}).status, 200);
  WriteFile(env.policy_path,
            "[hours]\nstart = \"00:00\"\nend = \"24:00\"\n[network]\ndeny = [\"127.0.0.0/8\"]\n");
  env.server().process().Signal(SIGHUP);
  HttpResponse r;
  for (int i = 0; i < 100; ++i) {
    r = env.Call("GET", "/api/v1/auth/me", {}, {.token = t.access});
    if (r.status == 403) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Json(r)["code"], "ip_denied");
  // A broken file is refused; the last good policy stays in force.
  WriteFile(env.policy_path, "[weights]\nauth_method = 99\n");
  env.server().process().Signal(SIGHUP);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(env.Call("GET", "/api/v1/auth/me", {}, {.token = t.access}).status, 403);
  WriteFile(env.policy_path, "[hours]\nstart = \"00:00\"\nend = \"24:00\"\n");
  env.server().process().Signal(SIGHUP);
  for (int i = 0; i < 100; ++i) {
    r = env.Call("GET", "/api/v1/auth/me", {}, {.token = t.access});
    if (r.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(env.server().Stderr(), ::testing::HasSubstr("policy_reload_failed"));
}

// Argon2id parameters changed since the hash was stored (here: a hash with two
// passes; the server is configured for one): the next sign-in stores a fresh hash
// with the current parameters, and the password keeps working.
TEST(PasswordRehash, SignInRehashesWhenTheParametersChanged) {
  SecurityEnv& env = SecurityEnv::Get(Backend::kSqlite);
  auto created =
      env.server().Cli({"user", "create", "--tenant", "clinica-a", "--email", "rehash@a.test",
                        "--name", "Rehash", "--role", "reader", "--password-stdin"},
                       env.Password() + "\n");
  ASSERT_EQ(created.status, 0) << created.err;
  store::DatabaseOptions o;
  o.sqlite_path = env.server().data_dir() + "/hcms.db";
  auto db = store::Database::Open(o);
  ASSERT_TRUE(db) << db.error().ToLogString();
  const accounts::PasswordParams old_params{2, 8u << 20};
  const accounts::PasswordParams server_params{1, 8u << 20};  // tests/support/hcms_process.cc
  auto old_hash = accounts::HashPassword(env.Password(), old_params);
  ASSERT_TRUE(old_hash);
  auto stored = [&]() -> std::string {
    auto r = (*db)->Run([&](store::Connection& c) -> Result<std::string> {
      HCMS_TRY(auto rows, c.Query("SELECT password_hash FROM users WHERE email = $1",
                                  {store::Value("rehash@a.test")}));
      return rows.rows.at(0).Text(0);
    });
    return r ? *r : std::string();
  };
  auto set = (*db)->Run([&](store::Connection& c) {
    return c.Execute("UPDATE users SET password_hash = $1 WHERE email = $2",
                     {store::Value(*old_hash), store::Value("rehash@a.test")});
  });
  ASSERT_TRUE(set) << set.error().ToLogString();
  ASSERT_TRUE(accounts::NeedsRehash(stored(), server_params));
  auto login = [&] {
    return env.Call(
        "POST", "/api/v1/auth/login",
        nlohmann::json{{"email", "rehash@a.test"}, {"password", env.Password()}}.dump());
  };
  ASSERT_EQ(login().status, 200);
  const std::string fresh = stored();
  EXPECT_NE(fresh, *old_hash);
  EXPECT_FALSE(accounts::NeedsRehash(fresh, server_params)) << fresh;
  EXPECT_TRUE(accounts::VerifyPassword(env.Password(), fresh));
  EXPECT_EQ(login().status, 200);
  EXPECT_EQ(stored(), fresh);  // nothing to do the second time
}

TEST(KeyRotation, NewKeySignsOldTokensStillVerifyUntilRetired) {
  SecurityEnv env(Backend::kSqlite);
  Tokens before = env.Login("a", "reader");
  auto kid_of = [](const std::string& token) {
    return nlohmann::json::parse(*crypto::Base64UrlDecode(token.substr(0, token.find('.'))))["kid"]
        .get<std::string>();
  };
  const std::string old_kid = kid_of(before.access);
  auto rotated = env.server().Cli({"auth", "rotate-keys"});
  ASSERT_EQ(rotated.status, 0) << rotated.err;
  env.server().process().Signal(SIGHUP);
  std::string new_kid = old_kid;
  for (int i = 0; i < 100 && new_kid == old_kid; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    new_kid = kid_of(env.Login("a", "editor").access);
  }
  EXPECT_NE(new_kid, old_kid);
  EXPECT_EQ(env.Call("GET", "/api/v1/auth/me", {}, {.token = before.access}).status, 200);
  // Two more rotations retire the first key: its tokens stop working.
  for (int i = 0; i < 2; ++i) ASSERT_EQ(env.server().Cli({"auth", "rotate-keys"}).status, 0);
  env.server().process().Signal(SIGHUP);
  HttpResponse r;
  for (int i = 0; i < 100; ++i) {
    r = env.Call("GET", "/api/v1/auth/me", {}, {.token = before.access});
    if (r.status == 401) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json(r)["code"], "token_key_unknown");
}

}  // namespace
}  // namespace hcms::testing
