// The Zero Trust policy engine (NIST SP 800-207 "PE"): decides whether a subject
// may use a permission on a resource class, from a trust score of 0-100.
//
// The score is the weighted sum (weights in the policy file, seed 000 by default) of
// eight factors, each 0-100, computed from signals the server really has:
//   auth_method   amr of the session: password+TOTP 100, app password 80, password 50
//   device        device id seen at an earlier successful sign-in 100 (app passwords
//                 count as a registered client), new device 40
//   session_age   since the session authenticated: <=1h 100, <=8h 70, <=24h 40, older 10
//   ip_reputation policy allow-list 100, unknown 80; deny-listed networks are denied
//                 outright
//   behaviour     the user's request rate against `requests_per_minute`: normal 100,
//                 up to 2x 50, above 0
//   resource      sensitivity of the class: public 100 ... critical_patient_data 40
//   time_of_day   inside the practice's working hours (its time zone) 100, outside 30
//   history       the user has done this action before 100, first time 50
//
// Decision: the role must hold the permission (role_not_permitted otherwise, whatever
// the score); then allow when score >= required (class minimum, 85 to publish);
// `challenge` (MFA step-up) when the session lacks a second factor and one would
// lift the score over the bar; `deny` otherwise. Decisions are cached per (user,
// session, amr, class, required score) for `cache.decision_seconds` (5 minutes).
//
//   PolicyEngine pe(DefaultPolicyConfig());
//   Decision d = pe.Evaluate(subject, {.resource_class = ResourceClass::kConfidential,
//                                      .permission = Permission::kManageUsers, ...});
//   if (d.effect != Effect::kAllow) ...;
//
// Thread-safe; Reload swaps the policy and empties the caches.

#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "accounts/amr.h"
#include "core/clock.h"
#include "core/resource_class.h"
#include "policy/permissions.h"
#include "policy/policy_config.h"

namespace hcms::policy {

using accounts::kAmrAppPassword;
using accounts::kAmrOtp;
using accounts::kAmrPassword;
using accounts::kAmrRecoveryCode;

struct Subject {
  int64_t user_id = 0;
  int64_t tenant_id = 0;
  accounts::Role role = accounts::Role::kReader;
  uint8_t amr = 0;
  std::string_view session_id;  // empty for app passwords
  TimePoint authenticated_at{};
  bool device_known = false;
};

struct Request {
  ResourceClass resource_class = ResourceClass::kUnset;
  Permission permission = Permission::kPublic;
  std::string_view action;    // "POST /api/v1/posts/{id}/publish"
  std::string_view ip;        // peer address; only matched against the lists, never kept
  std::string_view timezone;  // the practice's IANA zone
  TimePoint now{};
};

enum class Effect : uint8_t { kAllow, kDeny, kChallenge };
std::string_view EffectName(Effect e);

struct Decision {
  Effect effect = Effect::kDeny;
  std::string_view reason;  // trust_sufficient | role_not_permitted | insufficient_trust |
                            // mfa_required | ip_denied | anonymous
  int required = 0;
  int score = 0;
  bool cached = false;
  std::array<uint8_t, kFactorCount> factors{};
};

class PolicyEngine {
 public:
  explicit PolicyEngine(PolicyConfig config);
  ~PolicyEngine();
  PolicyEngine(const PolicyEngine&) = delete;
  PolicyEngine& operator=(const PolicyEngine&) = delete;

  Decision Evaluate(const Subject& subject, const Request& request);
  // No principal: only Permission::kPublic routes, and never from a denied network.
  Decision EvaluateAnonymous(const Request& request);

  // The session's resource-independent trust (class `internal`), recomputed at most
  // every `cache.score_refresh_seconds`: the trust_score claim of new tokens.
  int SessionScore(const Subject& subject, const Request& request);
  // Recomputes the scores of sessions active since the last refresh and forgets the
  // idle ones (the 15-minute refresher calls this).
  void RefreshScores(TimePoint now);

  void Reload(PolicyConfig config);
  std::shared_ptr<const PolicyConfig> config() const;
  bool Permits(accounts::Role role, Permission permission) const;

  struct Stats {
    int64_t evaluations;
    int64_t cache_hits;
  };
  Stats stats() const { return {evaluations_.load(), cache_hits_.load()}; }

 private:
  struct CachedDecision {
    Decision decision;
    TimePoint expires;
  };
  struct UserActivity {
    int64_t minute = 0;
    int count = 0;
    int previous = 0;
    std::unordered_set<std::string> actions;
  };
  struct SessionTrust {
    int score = 0;
    TimePoint computed;
    TimePoint last_seen;
    Subject subject;  // session_id points at `session_id`
    std::string session_id;
    std::string timezone;
    std::string ip;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, CachedDecision> decisions;
    std::unordered_map<int64_t, UserActivity> users;
  };

  Decision Compute(const PolicyConfig& cfg, const Subject& s, const Request& r, int required,
                   int rate, bool seen_action) const;
  Shard& ShardFor(int64_t user_id) { return shards_[static_cast<size_t>(user_id) % kShards]; }

  static constexpr size_t kShards = 16;
  mutable std::mutex config_mu_;
  std::shared_ptr<const PolicyConfig> config_;  // guarded by config_mu_
  std::array<Shard, kShards> shards_;
  std::mutex sessions_mu_;
  std::unordered_map<std::string, SessionTrust> sessions_;  // guarded by sessions_mu_
  std::atomic<int64_t> evaluations_{0};
  std::atomic<int64_t> cache_hits_{0};
  std::atomic<uint64_t> generation_{0};
};

}  // namespace hcms::policy
