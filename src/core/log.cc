#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/clock.h"

namespace hcms::log {

namespace {

std::atomic<Level> g_level{Level::kInfo};
std::atomic<bool> g_json{true};
std::mutex g_write_mutex;

Level ParseLevel(std::string_view s) {
  if (s == "trace") return Level::kTrace;
  if (s == "debug") return Level::kDebug;
  if (s == "warn") return Level::kWarn;
  if (s == "error") return Level::kError;
  if (s == "off") return Level::kOff;
  return Level::kInfo;
}

std::string_view LevelName(Level l) {
  switch (l) {
    case Level::kTrace:
      return "trace";
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
    case Level::kOff:
      return "off";
  }
  return "info";
}

}  // namespace

void Init(const Options& options) {
  g_level = ParseLevel(options.level);
  g_json = options.json;
}

bool Enabled(Level level) {
  return level >= g_level.load(std::memory_order_relaxed) && level != Level::kOff;
}

void Write(Level level, std::string_view event) { Write(level, event, nlohmann::json::object()); }

void Write(Level level, std::string_view event, const nlohmann::json& fields) {
  if (!Enabled(level)) return;
  std::string line;
  const std::string ts = FormatTimestamp(SystemClock::Instance().Now());
  if (g_json) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    j["ts"] = ts;
    j["level"] = LevelName(level);
    j["event"] = event;
    if (fields.is_object()) {
      for (const auto& [k, v] : fields.items()) j[k] = v;
    }
    line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    line = fmt::format("{} {:5} {}", ts, LevelName(level), event);
    if (fields.is_object()) {
      for (const auto& [k, v] : fields.items()) {
        line += fmt::format(" {}={}", k,
                            v.is_string()
                                ? v.get<std::string>()
                                : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      }
    }
  }
  line += '\n';
  std::lock_guard lock(g_write_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace hcms::log
