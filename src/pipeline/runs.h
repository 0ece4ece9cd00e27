// Pipeline runs as stored: a run of the five stages over one revision of a post,
// each stage a step with its own state, and the audit rows of every execution.
//
// Run status: pending -> running -> (needs_approval <-> running)* -> completed
//             | blocked (a stage found a blocking problem) | failed (a plugin
//             failed) | rejected (a reviewer rejected a stage).
// Step status: pending -> running -> completed | needs_approval | failed;
//              needs_approval -> completed (approved) | failed (rejected).

#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/error.h"
#include "store/database.h"

namespace hcms::pipeline {

inline constexpr std::string_view kStages[] = {"s1.1", "s1.2", "s1.3", "s1.4", "s1.5"};

struct Step {
  std::string stage;
  int position = 0;
  std::string plugin_name;
  std::string plugin_version;
  std::string status = "pending";
  std::optional<nlohmann::json> output;
  std::string error_code;
  int attempts = 0;
  std::string started_at;
  std::string finished_at;
  std::optional<int64_t> reviewer_id;
  std::string decision;  // "approved" | "rejected" | ""
  std::string decision_note;
  std::string decided_at;
};

struct Run {
  std::string id;  // UUIDv7
  int64_t tenant_id = 0;
  int64_t post_id = 0;
  std::optional<int64_t> revision_id;
  std::string content_sha256;
  std::string status = "pending";
  nlohmann::json document;  // the stage input without "previous"
  std::string error_code;
  std::optional<int64_t> created_by;
  std::string created_at;
  std::string updated_at;
  std::string finished_at;
  std::vector<Step> steps;
};

// The audit row of one stage execution (seed 003's content_processing_log).
struct AuditRow {
  std::string id;
  int64_t tenant_id = 0;
  std::string run_id;
  int64_t post_id = 0;
  std::string stage;
  std::string component;  // plugin name@version
  std::string input_sha256;
  std::string output_sha256;
  int64_t processing_time_ms = 0;
  bool personal_data_processed = false;
  bool lgpd_compliance_verified = false;
  bool medical_validation_passed = false;
  std::string outcome;  // completed | needs_approval | blocked | failed:<code>
  std::string created_at;
};

// JSON for the API: the run, its steps (with outputs when `with_outputs`).
nlohmann::json RunToJson(const Run& run, bool with_outputs);
nlohmann::json AuditRowToJson(const AuditRow& row);

// Thread-safe (the Database is). Every call takes the tenant id.
class RunRepository {
 public:
  RunRepository(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Inserts the run and its steps (all pending).
  Status Create(const Run& run);
  // kNotFound "pipeline_run_not_found".
  Result<Run> Get(int64_t tenant_id, std::string_view run_id);
  Result<std::vector<Run>> ListForPost(int64_t tenant_id, int64_t post_id);
  // The tenant's newest runs (at most `limit`), only those in `status` unless empty.
  Result<std::vector<Run>> List(int64_t tenant_id, std::string_view status, int limit);
  // Runs a restart must pick up (pending or running), across tenants: (tenant, id).
  Result<std::vector<std::pair<int64_t, std::string>>> Unfinished();

  Status UpdateStep(int64_t tenant_id, std::string_view run_id, const Step& step);
  Status UpdateRun(int64_t tenant_id, std::string_view run_id, std::string_view status,
                   std::string_view error_code, bool finished);
  // Moves the run from `from` to `to` only if it is in `from`; false if it was not.
  Result<bool> TransitionRun(int64_t tenant_id, std::string_view run_id, std::string_view from,
                             std::string_view to);
  Status InsertAudit(const AuditRow& row);
  Result<std::vector<AuditRow>> AuditForRun(int64_t tenant_id, std::string_view run_id);
  // True when a completed run exists for exactly this content.
  Result<bool> HasCompletedRun(int64_t tenant_id, int64_t post_id, std::string_view content_sha256);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace hcms::pipeline
