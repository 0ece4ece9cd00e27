// The native personal-data (LGPD) detector behind the hcms:host/env lgpd_scan host
// function, reached from the worker through the host (wire::HostRequest).

#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hcms::plugins::worker {

// The detector's analysis of `text` as JSON (lgpd/analysis_json.h: types, code point
// spans, categories, risk score, recommendations; never the matched values), or
// {"error": code} when the text cannot be analysed (invalid UTF-8). nullopt when no
// detector answers (the server has none, or the socket failed).
std::optional<std::string> ScanPersonalData(std::string_view text);

}  // namespace hcms::plugins::worker
