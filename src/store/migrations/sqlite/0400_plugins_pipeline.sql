-- Plugins (registry) and the medical pipeline (S.1.1 -> S.1.5): runs, steps, and the
-- per-stage audit rows of seed 003's content_processing_log.

-- WebAssembly modules by content hash (code, not tenant data: shared by tenants).
CREATE TABLE plugin_modules (
  sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  size_bytes INTEGER NOT NULL,
  wasm BLOB NOT NULL,
  created_at TEXT NOT NULL
);

-- A plugin as a practice registered it: the manifest, and whether it is enabled.
CREATE TABLE plugins (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  module_sha256 TEXT NOT NULL REFERENCES plugin_modules (sha256),
  manifest TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  builtin INTEGER NOT NULL DEFAULT 0,
  created_by INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (tenant_id, name, version)
);
CREATE INDEX plugins_tenant_name ON plugins (tenant_id, name);

-- Per-practice pipeline settings: responsible physician, notices, thresholds (JSON).
CREATE TABLE pipeline_settings (
  tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id),
  settings TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- One run of the pipeline over one revision of a post. Durable: a server restart
-- resumes runs left pending or running.
CREATE TABLE pipeline_runs (
  id TEXT PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  post_id INTEGER NOT NULL,
  revision_id INTEGER,
  content_sha256 TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'needs_approval', 'completed',
                                         'blocked', 'failed', 'rejected')),
  document TEXT NOT NULL,
  error_code TEXT,
  created_by INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX pipeline_runs_post ON pipeline_runs (tenant_id, post_id, created_at);
CREATE INDEX pipeline_runs_status ON pipeline_runs (status);

CREATE TABLE pipeline_steps (
  run_id TEXT NOT NULL REFERENCES pipeline_runs (id),
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  stage TEXT NOT NULL CHECK (stage IN ('s1.1', 's1.2', 's1.3', 's1.4', 's1.5')),
  position INTEGER NOT NULL,
  plugin_name TEXT NOT NULL,
  plugin_version TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'needs_approval',
                                         'failed')),
  output TEXT,
  error_code TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  started_at TEXT,
  finished_at TEXT,
  reviewer_id INTEGER REFERENCES users (id),
  decision TEXT CHECK (decision IN ('approved', 'rejected')),
  decision_note TEXT,
  decided_at TEXT,
  PRIMARY KEY (run_id, stage)
);

-- Seed 003's healthcare_audit.content_processing_log: one row per stage execution.
-- Hashes and flags only: no content, no personal data.
CREATE TABLE content_processing_log (
  id TEXT PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  run_id TEXT NOT NULL REFERENCES pipeline_runs (id),
  post_id INTEGER NOT NULL,
  processing_stage TEXT NOT NULL,
  component_used TEXT NOT NULL,
  input_data_hash TEXT NOT NULL,
  output_data_hash TEXT NOT NULL,
  processing_time_ms INTEGER NOT NULL,
  personal_data_processed INTEGER NOT NULL,
  lgpd_compliance_verified INTEGER NOT NULL,
  medical_validation_passed INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX content_processing_log_tenant ON content_processing_log (tenant_id, created_at);
CREATE INDEX content_processing_log_run ON content_processing_log (run_id);
