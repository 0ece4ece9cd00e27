#include "plugins/worker/personal_data_scan.h"

namespace hcms::plugins::worker {

// The LGPD detector (src/lgpd, issue 5) is wired here when it lands on main; until
// then the host function reports that no detector is available and S.1.1 fails
// with plugin_host_unavailable instead of pretending the text is clean.
std::optional<std::string> ScanPersonalData(std::string_view /*text*/) { return std::nullopt; }

}  // namespace hcms::plugins::worker
