// `hcms lgpd ...`: the personal-data tools on the command line. They need no
// configuration or database, so they work in shell pipelines and import scripts.
//
//   hcms lgpd scan < artigo.txt                 one JSON analysis of the whole text
//   hcms lgpd scan --jsonl < posts.jsonl        {"id","text"} per line in,
//                                               {"id","detections",...} per line out, in order
//   hcms lgpd ropa --tenant clinica-x [--format csv]   record of processing (art. 37)
//   hcms lgpd retention --tenant clinica-x [--apply]   retention job (dry run by default)

#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace hcms::app {

struct LgpdScanOptions {
  bool jsonl = false;
  double min_confidence = 0.5;
  std::vector<std::string> types;  // empty = all
  std::string lang = "pt-BR";
};

// Returns the process exit code: 0, 1 when some input could not be analysed (invalid
// UTF-8, a JSON Lines row without "text"), 2 for bad options. In --jsonl mode a bad
// row answers {"id": ..., "error": {"code": ...}} and the scan goes on.
int RunLgpdScan(const LgpdScanOptions& options, std::istream& in, std::ostream& out,
                std::ostream& err);

class Application;

// `hcms lgpd ropa`: prints the tenant's record of processing activities (JSON or CSV).
int RunLgpdRopa(Application& app, const std::string& tenant_slug, const std::string& format,
                std::ostream& out, std::ostream& err);

// `hcms lgpd retention`: runs the retention job for the tenant and prints its report.
// Without `apply` nothing changes (dry run).
int RunLgpdRetention(Application& app, const std::string& tenant_slug, bool apply,
                     std::ostream& out, std::ostream& err);

}  // namespace hcms::app
