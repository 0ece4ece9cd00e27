#include "pipeline/runs.h"

namespace hcms::pipeline {

namespace {

constexpr std::string_view kInsertRun =
    "INSERT INTO pipeline_runs (id, tenant_id, post_id, revision_id, content_sha256, status, "
    "document, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)";
constexpr std::string_view kInsertStep =
    "INSERT INTO pipeline_steps (run_id, tenant_id, stage, position, plugin_name, plugin_version, "
    "status) VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kSelectRun =
    "SELECT id, tenant_id, post_id, revision_id, content_sha256, status, document, error_code, "
    "created_by, created_at, updated_at, finished_at FROM pipeline_runs "
    "WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kSelectRunsForPost =
    "SELECT id FROM pipeline_runs WHERE tenant_id = $1 AND post_id = $2 ORDER BY created_at DESC, "
    "id DESC LIMIT 50";
constexpr std::string_view kSelectRecentRuns =
    "SELECT id FROM pipeline_runs WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2";
constexpr std::string_view kSelectRecentRunsByStatus =
    "SELECT id FROM pipeline_runs WHERE tenant_id = $1 AND status = $2 "
    "ORDER BY created_at DESC, id DESC LIMIT $3";
constexpr std::string_view kSelectSteps =
    "SELECT stage, position, plugin_name, plugin_version, status, output, error_code, attempts, "
    "started_at, finished_at, reviewer_id, decision, decision_note, decided_at "
    "FROM pipeline_steps WHERE tenant_id = $1 AND run_id = $2 ORDER BY position";
constexpr std::string_view kSelectUnfinished =
    "SELECT tenant_id, id FROM pipeline_runs WHERE status IN ('pending', 'running') "
    "ORDER BY created_at";
constexpr std::string_view kUpdateStep =
    "UPDATE pipeline_steps SET plugin_name = $4, plugin_version = $5, status = $6, output = $7, "
    "error_code = $8, attempts = $9, started_at = $10, finished_at = $11, reviewer_id = $12, "
    "decision = $13, decision_note = $14, decided_at = $15 "
    "WHERE tenant_id = $1 AND run_id = $2 AND stage = $3";
constexpr std::string_view kUpdateRun =
    "UPDATE pipeline_runs SET status = $3, error_code = $4, updated_at = $5, "
    "finished_at = CAST($6 AS TEXT) WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kUpdateRunPg =
    "UPDATE pipeline_runs SET status = $3, error_code = $4, updated_at = $5, "
    "finished_at = CAST(CAST($6 AS TEXT) AS TIMESTAMPTZ) WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kTransition =
    "UPDATE pipeline_runs SET status = $4, updated_at = $5 "
    "WHERE tenant_id = $1 AND id = $2 AND status = $3";
constexpr std::string_view kInsertAudit =
    "INSERT INTO content_processing_log (id, tenant_id, run_id, post_id, processing_stage, "
    "component_used, input_data_hash, output_data_hash, processing_time_ms, "
    "personal_data_processed, lgpd_compliance_verified, medical_validation_passed, outcome, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
constexpr std::string_view kSelectAudit =
    "SELECT id, tenant_id, run_id, post_id, processing_stage, component_used, input_data_hash, "
    "output_data_hash, processing_time_ms, personal_data_processed, lgpd_compliance_verified, "
    "medical_validation_passed, outcome, created_at FROM content_processing_log "
    "WHERE tenant_id = $1 AND run_id = $2 ORDER BY created_at, processing_stage, id";
constexpr std::string_view kCompleted =
    "SELECT 1 FROM pipeline_runs WHERE tenant_id = $1 AND post_id = $2 AND content_sha256 = $3 "
    "AND status = 'completed' LIMIT 1";

store::Value OptText(const std::string& s) { return s.empty() ? store::Value() : store::Value(s); }

}  // namespace

nlohmann::json RunToJson(const Run& run, bool with_outputs) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : run.steps) {
    nlohmann::json j = {{"stage", s.stage},
                        {"plugin", s.plugin_name},
                        {"plugin_version", s.plugin_version},
                        {"status", s.status},
                        {"attempts", s.attempts}};
    if (!s.error_code.empty()) j["error_code"] = s.error_code;
    if (!s.started_at.empty()) j["started_at"] = s.started_at;
    if (!s.finished_at.empty()) j["finished_at"] = s.finished_at;
    if (!s.decision.empty()) {
      j["decision"] = {{"decision", s.decision},
                       {"reviewer_id", s.reviewer_id ? nlohmann::json(*s.reviewer_id) : nullptr},
                       {"note", s.decision_note},
                       {"decided_at", s.decided_at}};
    }
    if (s.output) {
      j["result_status"] = s.output->value("status", "");
      if (with_outputs) j["output"] = *s.output;
    }
    steps.push_back(std::move(j));
  }
  nlohmann::json j = {{"id", run.id},
                      {"post_id", run.post_id},
                      {"revision_id", run.revision_id ? nlohmann::json(*run.revision_id) : nullptr},
                      {"content_sha256", run.content_sha256},
                      {"status", run.status},
                      {"created_at", run.created_at},
                      {"updated_at", run.updated_at},
                      {"steps", std::move(steps)}};
  if (!run.error_code.empty()) j["error_code"] = run.error_code;
  if (!run.finished_at.empty()) j["finished_at"] = run.finished_at;
  return j;
}

nlohmann::json AuditRowToJson(const AuditRow& r) {
  return {{"id", r.id},
          {"run_id", r.run_id},
          {"post_id", r.post_id},
          {"processing_stage", r.stage},
          {"component_used", r.component},
          {"input_data_hash", r.input_sha256},
          {"output_data_hash", r.output_sha256},
          {"processing_time_ms", r.processing_time_ms},
          {"personal_data_processed", r.personal_data_processed},
          {"lgpd_compliance_verified", r.lgpd_compliance_verified},
          {"medical_validation_passed", r.medical_validation_passed},
          {"outcome", r.outcome},
          {"timestamp", r.created_at}};
}

Status RunRepository::Create(const Run& run) {
  return db_.Transact([&](store::Connection& c) -> Status {
    HCMS_TRY(auto n, c.Execute(kInsertRun, {run.id, run.tenant_id, run.post_id, run.revision_id,
                                            run.content_sha256, run.status, run.document.dump(),
                                            run.created_by, run.created_at}));
    (void)n;
    for (const auto& s : run.steps) {
      HCMS_TRY(auto m, c.Execute(kInsertStep, {run.id, run.tenant_id, s.stage, s.position,
                                               s.plugin_name, s.plugin_version, s.status}));
      (void)m;
    }
    return Ok();
  });
}

Result<Run> RunRepository::Get(int64_t tenant_id, std::string_view run_id) {
  return db_.Run([&](store::Connection& c) -> Result<Run> {
    HCMS_TRY(auto row, c.QueryOne(kSelectRun, {tenant_id, run_id}));
    if (!row) return NotFound("pipeline_run_not_found", "Execução do pipeline não encontrada.");
    Run r;
    r.id = row->Text("id");
    r.tenant_id = row->Int("tenant_id");
    r.post_id = row->Int("post_id");
    r.revision_id = row->OptInt("revision_id");
    r.content_sha256 = row->Text("content_sha256");
    r.status = row->Text("status");
    r.document = nlohmann::json::parse(row->Text("document"), nullptr, false);
    r.error_code = row->OptText("error_code").value_or("");
    r.created_by = row->OptInt("created_by");
    r.created_at = row->Text("created_at");
    r.updated_at = row->Text("updated_at");
    r.finished_at = row->OptText("finished_at").value_or("");
    HCMS_TRY(auto steps, c.Query(kSelectSteps, {tenant_id, run_id}));
    for (const auto& s : steps) {
      Step st;
      st.stage = s.Text("stage");
      st.position = static_cast<int>(s.Int("position"));
      st.plugin_name = s.Text("plugin_name");
      st.plugin_version = s.Text("plugin_version");
      st.status = s.Text("status");
      if (auto out = s.OptText("output")) {
        auto j = nlohmann::json::parse(*out, nullptr, false);
        if (!j.is_discarded()) st.output = std::move(j);
      }
      st.error_code = s.OptText("error_code").value_or("");
      st.attempts = static_cast<int>(s.Int("attempts"));
      st.started_at = s.OptText("started_at").value_or("");
      st.finished_at = s.OptText("finished_at").value_or("");
      st.reviewer_id = s.OptInt("reviewer_id");
      st.decision = s.OptText("decision").value_or("");
      st.decision_note = s.OptText("decision_note").value_or("");
      st.decided_at = s.OptText("decided_at").value_or("");
      r.steps.push_back(std::move(st));
    }
    return r;
  });
}

Result<std::vector<Run>> RunRepository::ListForPost(int64_t tenant_id, int64_t post_id) {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return c.Query(kSelectRunsForPost, {tenant_id, post_id});
  }));
  std::vector<Run> out;
  for (const auto& row : rows) {
    HCMS_TRY(auto r, Get(tenant_id, row.Text(0)));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<Run>> RunRepository::List(int64_t tenant_id, std::string_view status,
                                             int limit) {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return status.empty() ? c.Query(kSelectRecentRuns, {tenant_id, limit})
                          : c.Query(kSelectRecentRunsByStatus, {tenant_id, status, limit});
  }));
  std::vector<Run> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    HCMS_TRY(auto r, Get(tenant_id, row.Text(0)));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<std::pair<int64_t, std::string>>> RunRepository::Unfinished() {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) { return c.Query(kSelectUnfinished); }));
  std::vector<std::pair<int64_t, std::string>> out;
  for (const auto& row : rows) out.emplace_back(row.Int(0), row.Text(1));
  return out;
}

Status RunRepository::UpdateStep(int64_t tenant_id, std::string_view run_id, const Step& s) {
  return db_.Run([&](store::Connection& c) -> Status {
    std::vector<store::Value> p = {tenant_id,
                                   run_id,
                                   s.stage,
                                   s.plugin_name,
                                   s.plugin_version,
                                   s.status,
                                   s.output ? store::Value(s.output->dump()) : store::Value(),
                                   OptText(s.error_code),
                                   s.attempts,
                                   OptText(s.started_at),
                                   OptText(s.finished_at),
                                   s.reviewer_id,
                                   OptText(s.decision),
                                   OptText(s.decision_note),
                                   OptText(s.decided_at)};
    HCMS_TRY(auto rows, c.Query(kUpdateStep, p));
    (void)rows;
    return Ok();
  });
}

Status RunRepository::UpdateRun(int64_t tenant_id, std::string_view run_id, std::string_view status,
                                std::string_view error_code, bool finished) {
  const std::string now = FormatTimestamp(clock_.Now());
  return db_.Run([&](store::Connection& c) -> Status {
    const auto sql = c.dialect() == store::Dialect::kPostgres ? kUpdateRunPg : kUpdateRun;
    HCMS_TRY(auto n, c.Execute(sql, {tenant_id, run_id, status,
                                     error_code.empty() ? store::Value() : store::Value(error_code),
                                     now, finished ? store::Value(now) : store::Value()}));
    (void)n;
    return Ok();
  });
}

Result<bool> RunRepository::TransitionRun(int64_t tenant_id, std::string_view run_id,
                                          std::string_view from, std::string_view to) {
  HCMS_TRY(auto n, db_.Run([&](store::Connection& c) {
    return c.Execute(kTransition, {tenant_id, run_id, from, to, FormatTimestamp(clock_.Now())});
  }));
  return n == 1;
}

Status RunRepository::InsertAudit(const AuditRow& r) {
  return db_.Run([&](store::Connection& c) -> Status {
    HCMS_TRY(auto n,
             c.Execute(kInsertAudit, {r.id, r.tenant_id, r.run_id, r.post_id, r.stage, r.component,
                                      r.input_sha256, r.output_sha256, r.processing_time_ms,
                                      r.personal_data_processed, r.lgpd_compliance_verified,
                                      r.medical_validation_passed, r.outcome, r.created_at}));
    (void)n;
    return Ok();
  });
}

Result<std::vector<AuditRow>> RunRepository::AuditForRun(int64_t tenant_id,
                                                         std::string_view run_id) {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return c.Query(kSelectAudit, {tenant_id, run_id});
  }));
  std::vector<AuditRow> out;
  for (const auto& row : rows) {
    AuditRow a;
    a.id = row.Text("id");
    a.tenant_id = row.Int("tenant_id");
    a.run_id = row.Text("run_id");
    a.post_id = row.Int("post_id");
    a.stage = row.Text("processing_stage");
    a.component = row.Text("component_used");
    a.input_sha256 = row.Text("input_data_hash");
    a.output_sha256 = row.Text("output_data_hash");
    a.processing_time_ms = row.Int("processing_time_ms");
    a.personal_data_processed = row.Bool("personal_data_processed");
    a.lgpd_compliance_verified = row.Bool("lgpd_compliance_verified");
    a.medical_validation_passed = row.Bool("medical_validation_passed");
    a.outcome = row.Text("outcome");
    a.created_at = row.Text("created_at");
    out.push_back(std::move(a));
  }
  return out;
}

Result<bool> RunRepository::HasCompletedRun(int64_t tenant_id, int64_t post_id,
                                            std::string_view content_sha256) {
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) {
    return c.QueryOne(kCompleted, {tenant_id, post_id, content_sha256});
  }));
  return row.has_value();
}

}  // namespace hcms::pipeline
