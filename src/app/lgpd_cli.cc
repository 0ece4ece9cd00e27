#include "app/lgpd_cli.h"

#include <iostream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "app/application.h"
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

namespace {

std::optional<tenants::Tenant> FindTenant(Application& app, const std::string& slug,
                                          std::ostream& err) {
  auto t = app.tenants().FindBySlug(slug.empty() ? app.config().server.default_tenant : slug);
  if (!t) {
    err << "erro: clínica não encontrada\nerror: practice not found\n";
    return std::nullopt;
  }
  return *t;
}

}  // namespace

int RunLgpdRopa(Application& app, const std::string& tenant_slug, const std::string& format,
                std::ostream& out, std::ostream& err) {
  if (format != "json" && format != "csv") {
    err << "erro: formato json ou csv\nerror: format must be json or csv\n";
    return 2;
  }
  auto tenant = FindTenant(app, tenant_slug, err);
  if (!tenant) return 1;
  auto& ropa = app.privacy().ropa;
  auto seeded = ropa.SeedDefaults(tenant->id);
  auto list = seeded ? ropa.List(tenant->id) : std::unexpected(seeded.error());
  if (!list) {
    err << "erro: " << list.error().code() << "\n";
    return 1;
  }
  if (format == "csv") {
    out << privacy::RopaCsv(*list);
  } else {
    out << privacy::RopaJson(*list, tenant->name, FormatTimestamp(SystemClock::Instance().Now()))
               .dump(2)
        << "\n";
  }
  return 0;
}

int RunLgpdRetention(Application& app, const std::string& tenant_slug, bool apply,
                     std::ostream& out, std::ostream& err) {
  auto tenant = FindTenant(app, tenant_slug, err);
  if (!tenant) return 1;
  auto report = app.privacy().retention_job.Run(tenant->id, !apply);
  if (!report) {
    err << "erro: " << report.error().code() << "\n";
    return 1;
  }
  out << privacy::RetentionReportToJson(*report).dump(2) << "\n";
  return 0;
}

}  // namespace hcms::app
