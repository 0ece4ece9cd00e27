#include "app/lgpd_cli.h"

#include <iostream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "lgpd/analysis_json.h"
#include "lgpd/detector.h"

namespace hcms::app {

namespace {

nlohmann::json ErrorJson(const nlohmann::json& id, std::string_view code) {
  return {{"id", id}, {"error", {{"code", code}}}};
}

}  // namespace

int RunLgpdScan(const LgpdScanOptions& options, std::istream& in, std::ostream& out,
                std::ostream& err) {
  lgpd::AnalyzeOptions ao;
  ao.min_confidence = options.min_confidence;
  for (const std::string& name : options.types) {
    auto t = lgpd::ParsePiiType(name);
    if (!t) {
      err << "erro: tipo desconhecido / unknown type: " << name << "\n";
      return 2;
    }
    ao.types.push_back(*t);
  }
  if (!options.jsonl) {
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto a = lgpd::Analyze(text, ao);
    if (!a) {
      err << "erro: " << a.error().detail() << "\nerror: " << a.error().code() << "\n";
      return 1;
    }
    out << lgpd::AnalysisToJson(*a, options.lang).dump(2) << "\n";
    return 0;
  }
  int failures = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line == "\r") continue;
    nlohmann::json row = nlohmann::json::parse(line, nullptr, false);
    if (row.is_discarded() || !row.is_object()) {
      out << ErrorJson(nullptr, "invalid_json").dump() << "\n";
      ++failures;
      continue;
    }
    const nlohmann::json id = row.contains("id") ? row["id"] : nlohmann::json();
    if (!row.contains("text") || !row["text"].is_string()) {
      out << ErrorJson(id, "missing_text").dump() << "\n";
      ++failures;
      continue;
    }
    auto a = lgpd::Analyze(row["text"].get_ref<const std::string&>(), ao);
    if (!a) {
      out << ErrorJson(id, a.error().code()).dump() << "\n";
      ++failures;
      continue;
    }
    out << nlohmann::json{{"id", id},
                          {"detections", lgpd::DetectionsToJson(a->detections)},
                          {"risk_score", a->risk_score},
                          {"status", lgpd::RiskStatusName(a->status)}}
               .dump()
        << "\n";
  }
  out.flush();
  return failures == 0 ? 0 : 1;
}

}  // namespace hcms::app
