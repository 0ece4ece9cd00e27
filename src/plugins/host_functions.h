// The server-side backends of hcms's host functions (hcms:host/env), for
// HostOptions::host_functions.

#pragma once

#include <map>
#include <string>

#include "plugins/plugin_host.h"

namespace hcms::plugins {

// lgpd_scan: the native LGPD detector (src/lgpd). The guest passes UTF-8 text and gets
// the analysis as JSON (lgpd/analysis_json.h: types, code-point spans, categories,
// risk score, recommendations; never the matched values), or {"error": code} for
// text the detector refuses (invalid UTF-8).
HostCallback PersonalDataScan();

// Every server-side host function, by name.
std::map<std::string, HostCallback, std::less<>> DefaultHostFunctions();

}  // namespace hcms::plugins
