// The native personal-data (LGPD) detector behind the hcms:host/env lgpd_scan host
// function. Runs inside the worker process, on text the guest passed in.

#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hcms::plugins::worker {

// JSON text describing the personal data found in `text` (no raw values: kinds,
// byte spans and counts), or nullopt when no detector is built into this worker.
std::optional<std::string> ScanPersonalData(std::string_view text);

}  // namespace hcms::plugins::worker
