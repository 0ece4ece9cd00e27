// The medical pipeline (S.1.1 -> S.1.5) as a durable state machine.
//
// Start() stores a run (a snapshot of the post and the practice's settings, and five
// pending steps) and schedules it. Each stage runs its plugin with the snapshot plus
// the outputs of the stages before it, stores the output and an audit row, then:
//   result "pass"          -> step completed, next stage
//   result "needs_review"  -> step needs_approval, run needs_approval (a reviewer's
//                             Approve continues the run, Reject ends it "rejected")
//   result "block"         -> step failed, run "blocked"
//   plugin error           -> step failed, run "failed" with the error code
// State is written before and after every stage, so ResumeUnfinished() after a
// restart re-runs the stage that was in flight and continues.
//
// Progress events go to subscribers (WebSocket/SSE in the HTTP layer).
//
// Thread-safe. Runs advance on the orchestrator's own threads (or inline when
// options.threads == 0, for tests and the CLI).

#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/error.h"
#include "pipeline/runs.h"
#include "pipeline/settings.h"
#include "plugins/plugin_host.h"
#include "plugins/registry.h"

namespace hcms::pipeline {

// The post as the pipeline sees it (from the content module).
struct PostSnapshot {
  int64_t post_id = 0;
  std::optional<int64_t> revision_id;
  std::string title;
  std::string content;  // HTML
  std::string excerpt;
  std::string slug;
  std::string url;
  std::string language = "pt-BR";
  std::string published_at;
  std::string modified_at;
};

// SHA-256 of what the pipeline checks (title and content); publishing requires a
// completed run with this hash.
std::string ContentHash(const PostSnapshot& post);

struct RunEvent {
  std::string run_id;
  int64_t tenant_id = 0;
  std::string type;    // run_started | step_started | step_finished | run_finished
  std::string stage;   // for step events
  std::string status;  // step or run status after the event
  nlohmann::json ToJson() const;
};

using EventListener = std::function<void(const RunEvent&)>;

struct OrchestratorOptions {
  int threads = 1;  // 0: Start/Approve run the stages inline before returning
};

class Orchestrator {
 public:
  Orchestrator(store::Database& db, const Clock& clock, plugins::PluginRegistry& registry,
               plugins::PluginHost& host, OrchestratorOptions options = {});
  ~Orchestrator();  // finishes the stage in progress, then stops
  Orchestrator(const Orchestrator&) = delete;
  Orchestrator& operator=(const Orchestrator&) = delete;

  // Creates a run for the post with the tenant's settings and schedules it.
  // kFailedPrecondition "pipeline_run_active" if the same content already has a
  // run pending, running or awaiting approval.
  Result<Run> Start(int64_t tenant_id, const PostSnapshot& post, std::optional<int64_t> user_id);

  // A reviewer's decision on a step in needs_approval. kNotFound
  // "pipeline_run_not_found"; kFailedPrecondition "pipeline_step_not_awaiting_approval".
  Result<Run> Decide(int64_t tenant_id, std::string_view run_id, std::string_view stage,
                     int64_t reviewer_id, bool approve, std::string note);

  Result<Run> Get(int64_t tenant_id, std::string_view run_id);
  // Newest runs first, only those in `status` unless empty (RunRepository::List).
  Result<std::vector<Run>> List(int64_t tenant_id, std::string_view status, int limit);
  Result<std::vector<AuditRow>> Audit(int64_t tenant_id, std::string_view run_id);
  // Publishing gate: a completed run for exactly this content.
  Result<bool> MayPublish(int64_t tenant_id, const PostSnapshot& post);

  // Schedules every run left pending or running (after a restart). Returns how many.
  Result<int> ResumeUnfinished();

  // Listeners get every event of `run_id` ("" = every run) until the returned
  // subscription is destroyed. Called on orchestrator threads: must not block.
  class Subscription {
   public:
    Subscription(Orchestrator* o, uint64_t id) : o_(o), id_(id) {}
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

   private:
    Orchestrator* o_;
    uint64_t id_;
  };
  std::unique_ptr<Subscription> Subscribe(std::string run_id, EventListener listener);

  // Blocks until no run is queued or advancing (tests, shutdown).
  void WaitIdle();

  // For /health: the threads that advance runs, and the backlog in memory (runs
  // waiting for a thread). Runs waiting for a reviewer are not backlog.
  struct Health {
    int threads = 0;
    bool stopping = false;
    size_t queued = 0;  // scheduled, not yet picked up
    int advancing = 0;  // being advanced now
  };
  Health CheckHealth();

  SettingsRepository& settings() { return settings_; }
  RunRepository& runs() { return runs_; }

 private:
  struct Key {
    int64_t tenant_id;
    std::string run_id;
    bool operator<(const Key& o) const {
      return std::tie(tenant_id, run_id) < std::tie(o.tenant_id, o.run_id);
    }
  };
  void Schedule(int64_t tenant_id, std::string run_id);
  void WorkerLoop();
  void Advance(int64_t tenant_id, const std::string& run_id);
  // Runs one stage; returns false when the run must stop here.
  bool RunStage(Run& run, size_t index);
  void Emit(const RunEvent& e);
  std::string PluginFor(const nlohmann::json& settings, std::string_view stage) const;

  store::Database& db_;
  const Clock& clock_;
  plugins::PluginRegistry& registry_;
  plugins::PluginHost& host_;
  OrchestratorOptions options_;
  SettingsRepository settings_;
  RunRepository runs_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  std::deque<Key> queue_;
  std::set<Key> active_;  // queued or advancing
  int busy_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;

  std::mutex listeners_mu_;
  uint64_t next_listener_ = 1;
  std::map<uint64_t, std::pair<std::string, EventListener>> listeners_;
};

}  // namespace hcms::pipeline
