// Policy decisions and JWT verification (issue #3).
//   build/release/bench/policy_bench --benchmark_min_time=0.5
// Results and the machine they ran on: docs/performance.md.

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "crypto/jwt.h"
#include "policy/engine.h"

namespace {

using namespace hcms;

const TimePoint kNow{std::chrono::seconds(1'780'506'000)};

policy::Subject Subject() {
  return {.user_id = 42,
          .tenant_id = 1,
          .role = accounts::Role::kEditor,
          .amr = accounts::kAmrPassword | accounts::kAmrOtp,
          .session_id = "0192f3c4-5e6f-7abc-8def-0123456789ab",
          .authenticated_at = kNow,
          .device_known = true};
}

policy::Request Req() {
  return {.resource_class = ResourceClass::kConfidential,
          .permission = policy::Permission::kEditContent,
          .action = "PATCH /api/v1/posts/{id}",
          .ip = "203.0.113.9",
          .timezone = "America/Sao_Paulo",
          .now = kNow};
}

void BM_PolicyDecisionCached(benchmark::State& state) {
  policy::PolicyEngine pe(policy::DefaultPolicyConfig());
  const auto s = Subject();
  const auto r = Req();
  pe.Evaluate(s, r);
  for (auto _ : state) benchmark::DoNotOptimize(pe.Evaluate(s, r));
  state.counters["hit_ratio"] =
      static_cast<double>(pe.stats().cache_hits) / static_cast<double>(pe.stats().evaluations);
}
BENCHMARK(BM_PolicyDecisionCached);

void BM_PolicyDecisionUncached(benchmark::State& state) {
  auto cfg = policy::ParsePolicyConfig(
      "[cache]\ndecision_seconds = 0\n[network]\nallow = [\"10.0.0.0/8\"]\n"
      "deny = [\"198.51.100.0/24\"]\n",
      "bench");
  policy::PolicyEngine pe(*cfg);
  const auto s = Subject();
  const auto r = Req();
  for (auto _ : state) benchmark::DoNotOptimize(pe.Evaluate(s, r));
}
BENCHMARK(BM_PolicyDecisionUncached);

nlohmann::json Claims() {
  const int64_t now = 1'780'506'000;
  return {{"iss", "hcms"},
          {"typ", "access"},
          {"sub", "42"},
          {"tenant", 1},
          {"role", "editor"},
          {"amr", {"pwd", "otp"}},
          {"trust_score", 91},
          {"jti", "sy_trOWkwntZev26MHF3mQ"},
          {"sid", "0192f3c4-5e6f-7abc-8def-0123456789ab"},
          {"auth_time", now},
          {"dvk", true},
          {"iat", now},
          {"nbf", now},
          {"exp", now + 900}};
}

void BM_JwtVerify(benchmark::State& state) {
  const crypto::KeyRing ring = crypto::NewKeyRing(kNow);
  const std::string token = *crypto::SignJwt(ring, Claims());
  for (auto _ : state) benchmark::DoNotOptimize(crypto::VerifyJwt(ring, token, kNow));
}
BENCHMARK(BM_JwtVerify);

void BM_JwtSign(benchmark::State& state) {
  const crypto::KeyRing ring = crypto::NewKeyRing(kNow);
  const auto claims = Claims();
  for (auto _ : state) benchmark::DoNotOptimize(crypto::SignJwt(ring, claims));
}
BENCHMARK(BM_JwtSign);

}  // namespace

BENCHMARK_MAIN();
