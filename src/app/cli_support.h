// What every `hcms` subcommand shares: exit codes, messages for the person at the
// terminal (pt-BR first, English second), loading the configuration and opening
// the application with those messages on failure.

#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/application.h"
#include "core/config.h"

namespace hcms::app::cli {

inline constexpr int kOk = 0;
inline constexpr int kFailure = 1;
inline constexpr int kUsage = 2;

// "erro: <pt>[: detail]" and "error: <en>" on standard error.
void Fail(std::string_view pt, std::string_view en, std::string_view detail = {});

// The configuration from `file` and the environment, with logging set up from it;
// nullopt (after Fail) when it is invalid.
std::optional<Config> Load(const std::string& file);

// Application::Open with `migrate`; nullptr (after Fail and a log line) on failure.
std::unique_ptr<Application> OpenApp(const Config& cfg, bool migrate);

}  // namespace hcms::app::cli
