#include "policy/engine.h"

#include <cmath>

#include "core/time_zone.h"

namespace hcms::policy {

namespace {

constexpr std::array<uint8_t, 8> kResourceFactor = {0, 100, 90, 70, 60, 60, 40, 50};

uint8_t AuthFactor(uint8_t amr) {
  if (amr & (kAmrOtp | kAmrRecoveryCode)) return 100;
  if (amr & kAmrAppPassword) return 80;
  if (amr & kAmrPassword) return 50;
  return 0;
}

uint8_t SessionAgeFactor(const Subject& s, TimePoint now) {
  if (s.amr & kAmrAppPassword) return 100;  // every request authenticates afresh
  const auto age = now - s.authenticated_at;
  if (age <= std::chrono::hours(1)) return 100;
  if (age <= std::chrono::hours(8)) return 70;
  if (age <= std::chrono::hours(24)) return 40;
  return 10;
}

bool InList(const std::vector<Cidr>& list, std::string_view ip) { return InNetworks(list, ip); }

bool WithinHours(const PolicyConfig& cfg, std::string_view zone, TimePoint now) {
  auto local = ToLocalTime(now, zone.empty() ? std::string_view("America/Sao_Paulo") : zone);
  if (!local) return false;
  if ((cfg.work_days & (1u << local->weekday)) == 0) return false;
  const int minute = local->hour * 60 + local->minute;
  return minute >= cfg.work_start_minute && minute < cfg.work_end_minute;
}

int WeightedScore(const PolicyConfig& cfg, const std::array<uint8_t, kFactorCount>& f) {
  int sum = 0;
  for (size_t i = 0; i < f.size(); ++i) sum += cfg.weights[i] * f[i];
  return static_cast<int>(std::lround(sum / 100.0));
}

}  // namespace

std::string_view EffectName(Effect e) {
  switch (e) {
    case Effect::kAllow:
      return "allow";
    case Effect::kDeny:
      return "deny";
    case Effect::kChallenge:
      return "challenge";
  }
  return "deny";
}

PolicyEngine::PolicyEngine(PolicyConfig config)
    : config_(std::make_shared<const PolicyConfig>(std::move(config))) {}
PolicyEngine::~PolicyEngine() = default;

std::shared_ptr<const PolicyConfig> PolicyEngine::config() const {
  std::lock_guard lock(config_mu_);
  return config_;
}

void PolicyEngine::Reload(PolicyConfig config) {
  {
    std::lock_guard lock(config_mu_);
    config_ = std::make_shared<const PolicyConfig>(std::move(config));
  }
  ++generation_;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mu);
    shard.decisions.clear();
  }
  std::lock_guard lock(sessions_mu_);
  for (auto& [id, s] : sessions_) s.computed = TimePoint{};
}

bool PolicyEngine::Permits(accounts::Role role, Permission permission) const {
  return (config()->Grants(role) & Bit(permission)) != 0;
}

Decision PolicyEngine::Compute(const PolicyConfig& cfg, const Subject& s, const Request& r,
                               int required, int rate, bool seen_action) const {
  Decision d;
  d.required = required;
  auto& f = d.factors;
  f[kAuthMethod] = AuthFactor(s.amr);
  f[kDevice] = (s.amr & kAmrAppPassword) || s.device_known ? 100 : 40;
  f[kSessionAge] = SessionAgeFactor(s, r.now);
  f[kIpReputation] = InList(cfg.allow, r.ip) ? 100 : 80;
  f[kBehaviour] = rate <= cfg.requests_per_minute       ? 100
                  : rate <= 2 * cfg.requests_per_minute ? 50
                                                        : 0;
  f[kResource] = kResourceFactor[static_cast<size_t>(r.resource_class)];
  f[kTimeOfDay] = WithinHours(cfg, r.timezone, r.now) ? 100 : 30;
  f[kHistory] = seen_action ? 100 : 50;
  d.score = WeightedScore(cfg, f);
  if (d.score >= required) {
    d.effect = Effect::kAllow;
    d.reason = "trust_sufficient";
    return d;
  }
  const bool can_step_up = (s.amr & (kAmrOtp | kAmrRecoveryCode | kAmrAppPassword)) == 0;
  if (can_step_up) {
    auto with_mfa = f;
    with_mfa[kAuthMethod] = 100;
    if (WeightedScore(cfg, with_mfa) >= required) {
      d.effect = Effect::kChallenge;
      d.reason = "mfa_required";
      return d;
    }
  }
  d.effect = Effect::kDeny;
  d.reason = "insufficient_trust";
  return d;
}

Decision PolicyEngine::EvaluateAnonymous(const Request& r) {
  ++evaluations_;
  const auto cfg = config();
  Decision d;
  d.required = cfg->Required(r.resource_class);
  if (InList(cfg->deny, r.ip)) {
    d.reason = "ip_denied";
    return d;
  }
  if (r.permission != Permission::kPublic) {
    d.reason = "anonymous";
    return d;
  }
  d.effect = Effect::kAllow;
  d.reason = "public";
  d.score = d.required;
  return d;
}

Decision PolicyEngine::Evaluate(const Subject& s, const Request& r) {
  ++evaluations_;
  const auto cfg = config();
  Decision d;
  d.required = std::max(cfg->Required(r.resource_class), MinimumScore(r.permission));
  if (InList(cfg->deny, r.ip)) {
    d.reason = "ip_denied";
    return d;
  }
  if ((cfg->Grants(s.role) & Bit(r.permission)) == 0) {
    d.reason = "role_not_permitted";
    return d;
  }
  // Behaviour and history are observed on every request, cached or not.
  Shard& shard = ShardFor(s.user_id);
  std::string key;
  key.reserve(64);
  key.append(std::to_string(s.user_id)).append("|").append(s.session_id).append("|");
  key.push_back(static_cast<char>('0' + s.amr));
  key.push_back(static_cast<char>('a' + static_cast<int>(r.resource_class)));
  key.append(std::to_string(d.required));
  int rate = 0;
  bool seen = false;
  {
    std::lock_guard lock(shard.mu);
    UserActivity& u = shard.users[s.user_id];
    const int64_t minute =
        std::chrono::duration_cast<std::chrono::minutes>(r.now.time_since_epoch()).count();
    if (minute != u.minute) {
      u.previous = minute == u.minute + 1 ? u.count : 0;
      u.count = 0;
      u.minute = minute;
    }
    ++u.count;
    // Sliding estimate: this minute plus the unexpired share of the last one.
    const double into =
        static_cast<double>((r.now.time_since_epoch() % std::chrono::minutes(1)).count()) / 6e7;
    rate = u.count + static_cast<int>(u.previous * (1.0 - into));
    if (!r.action.empty()) {
      seen = u.actions.contains(std::string(r.action));
      if (!seen && u.actions.size() < 512) u.actions.emplace(r.action);
    }
    if (auto it = shard.decisions.find(key); it != shard.decisions.end()) {
      if (it->second.expires > r.now) {
        ++cache_hits_;
        Decision cached = it->second.decision;
        cached.cached = true;
        return cached;
      }
      shard.decisions.erase(it);
    }
  }
  d = Compute(*cfg, s, r, d.required, rate, seen);
  if (cfg->decision_cache_seconds > 0) {
    std::lock_guard lock(shard.mu);
    if (shard.decisions.size() > 100000) shard.decisions.clear();
    shard.decisions[key] = {d, r.now + std::chrono::seconds(cfg->decision_cache_seconds)};
  }
  return d;
}

int PolicyEngine::SessionScore(const Subject& s, const Request& r) {
  const auto cfg = config();
  const auto refresh = std::chrono::seconds(cfg->score_refresh_seconds);
  if (!s.session_id.empty()) {
    std::lock_guard lock(sessions_mu_);
    if (auto it = sessions_.find(std::string(s.session_id)); it != sessions_.end()) {
      it->second.last_seen = r.now;
      if (r.now - it->second.computed < refresh && it->second.subject.amr == s.amr)
        return it->second.score;
    }
  }
  Request internal = r;
  internal.resource_class = ResourceClass::kInternal;
  const Decision d = Compute(*cfg, s, internal, cfg->Required(ResourceClass::kInternal), 0, true);
  if (!s.session_id.empty()) {
    std::lock_guard lock(sessions_mu_);
    if (sessions_.size() > 100000) sessions_.clear();
    SessionTrust& t = sessions_[std::string(s.session_id)];
    t.score = d.score;
    t.computed = r.now;
    t.last_seen = r.now;
    t.session_id = std::string(s.session_id);
    t.subject = s;
    t.subject.session_id = t.session_id;
    t.timezone = std::string(r.timezone);
    t.ip = std::string(r.ip);
  }
  return d.score;
}

void PolicyEngine::RefreshScores(TimePoint now) {
  const auto cfg = config();
  const auto refresh = std::chrono::seconds(cfg->score_refresh_seconds);
  std::lock_guard lock(sessions_mu_);
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    SessionTrust& t = it->second;
    if (now - t.last_seen > refresh) {
      it = sessions_.erase(it);
      continue;
    }
    Request r{.resource_class = ResourceClass::kInternal,
              .permission = Permission::kAuthenticated,
              .ip = t.ip,
              .timezone = t.timezone,
              .now = now};
    t.subject.session_id = t.session_id;
    t.score = Compute(*cfg, t.subject, r, cfg->Required(ResourceClass::kInternal), 0, true).score;
    t.computed = now;
    ++it;
  }
}

}  // namespace hcms::policy
