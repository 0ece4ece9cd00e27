#include "privacy/events.h"

namespace hcms::privacy {

namespace {

constexpr std::string_view kInsert =
    "INSERT INTO privacy_events (tenant_id, event, subject_id, request_id, actor_id, detail, at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kByRequest =
    "SELECT tenant_id, event, subject_id, request_id, actor_id, detail, at FROM privacy_events "
    "WHERE tenant_id = $1 AND request_id = $2 ORDER BY id";
constexpr std::string_view kBySubject =
    "SELECT tenant_id, event, subject_id, request_id, actor_id, detail, at FROM privacy_events "
    "WHERE tenant_id = $1 AND subject_id = $2 ORDER BY id";

Result<std::vector<PrivacyEvent>> FromRows(const store::Rows& rows) {
  std::vector<PrivacyEvent> out;
  for (const auto& r : rows) {
    PrivacyEvent e;
    e.tenant_id = r.Int("tenant_id");
    e.event = r.Text("event");
    e.subject_id = r.OptText("subject_id");
    e.request_id = r.OptText("request_id");
    e.actor_id = r.OptInt("actor_id");
    e.detail = nlohmann::json::parse(r.Text("detail"), nullptr, false);
    e.at = r.Text("at");
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Status EventLog::Record(PrivacyEvent e, store::Connection* conn) {
  e.at = FormatTimestamp(clock_.Now());
  auto write = [&](store::Connection& c) {
    return c.Execute(kInsert, {e.tenant_id, e.event, e.subject_id, e.request_id, e.actor_id,
                               e.detail.dump(), e.at});
  };
  if (conn != nullptr) {
    HCMS_TRY(auto n, write(*conn));
    (void)n;
  } else {
    HCMS_TRY(auto n, db_.Run(write));
    (void)n;
  }
  sink_.Append(e);
  return Ok();
}

Result<std::vector<PrivacyEvent>> EventLog::ForRequest(int64_t tenant_id,
                                                       std::string_view request_id) {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return c.Query(kByRequest, {tenant_id, request_id});
  }));
  return FromRows(rows);
}

Result<std::vector<PrivacyEvent>> EventLog::ForSubject(int64_t tenant_id,
                                                       std::string_view subject_id) {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return c.Query(kBySubject, {tenant_id, subject_id});
  }));
  return FromRows(rows);
}

}  // namespace hcms::privacy
