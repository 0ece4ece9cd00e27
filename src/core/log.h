// Server log: one JSON object per line on standard error (or plain text for humans).
//
//   log::Info("migration_applied", {{"version", 3}, {"ms", 12}});
//   ->
//   {"ts":"2026-11-24T13:05:09.123456Z","level":"info","event":"migration_applied","version":3,"ms":12}
//
// Events are stable snake_case names; fields are ids, counts, codes and durations.
// Never log personal data: no e-mail addresses, names, CPFs, IP addresses (use
// AnonymizeIp), request bodies or query strings. Thread-safe.

#pragma once

#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace hcms::log {

enum class Level { kTrace, kDebug, kInfo, kWarn, kError, kOff };

struct Options {
  std::string_view level = "info";  // trace | debug | info | warn | error | off
  bool json = true;                 // false: "ts LEVEL event key=value ..."
};

// Configures the process-wide logger. Safe to call again (e.g. after config load).
void Init(const Options& options);

bool Enabled(Level level);
void Write(Level level, std::string_view event, const nlohmann::json& fields);
void Write(Level level, std::string_view event);

inline void Debug(std::string_view e, const nlohmann::json& f) { Write(Level::kDebug, e, f); }
inline void Info(std::string_view e, const nlohmann::json& f) { Write(Level::kInfo, e, f); }
inline void Warn(std::string_view e, const nlohmann::json& f) { Write(Level::kWarn, e, f); }
inline void Error(std::string_view e, const nlohmann::json& f) { Write(Level::kError, e, f); }
inline void Debug(std::string_view e) { Write(Level::kDebug, e); }
inline void Info(std::string_view e) { Write(Level::kInfo, e); }
inline void Warn(std::string_view e) { Write(Level::kWarn, e); }
inline void Error(std::string_view e) { Write(Level::kError, e); }

}  // namespace hcms::log
