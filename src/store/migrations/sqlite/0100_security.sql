-- Security core (issue #3): user profiles and MFA, sessions with rotating refresh
-- tokens, application passwords, known devices, and the tamper-evident audit trail.

ALTER TABLE users ADD COLUMN specialty TEXT;
ALTER TABLE users ADD COLUMN registration_kind TEXT CHECK (registration_kind IN ('CRM', 'CRP', 'COREN'));
ALTER TABLE users ADD COLUMN registration_number TEXT;
ALTER TABLE users ADD COLUMN registration_uf TEXT;
ALTER TABLE users ADD COLUMN rqe TEXT;
ALTER TABLE users ADD COLUMN registration_status TEXT NOT NULL DEFAULT 'none'
  CHECK (registration_status IN ('none', 'pending', 'verified', 'rejected'));
ALTER TABLE users ADD COLUMN mfa_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN mfa_secret TEXT;
ALTER TABLE users ADD COLUMN mfa_pending_secret TEXT;
ALTER TABLE users ADD COLUMN last_login_at TEXT;

-- One sign-in (a refresh-token family). Revoking it ends every token it issued.
CREATE TABLE auth_sessions (
  id TEXT PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  user_id INTEGER NOT NULL REFERENCES users (id),
  amr TEXT NOT NULL,
  device_known INTEGER NOT NULL DEFAULT 0,
  client TEXT NOT NULL DEFAULT 'api' CHECK (client IN ('api', 'browser')),
  ip_anon TEXT NOT NULL,
  created_at TEXT NOT NULL,
  auth_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT,
  revoke_reason TEXT
);
CREATE INDEX auth_sessions_user ON auth_sessions (tenant_id, user_id);

CREATE TABLE refresh_tokens (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  session_id TEXT NOT NULL REFERENCES auth_sessions (id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE app_passwords (
  id TEXT PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  user_id INTEGER NOT NULL REFERENCES users (id),
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX app_passwords_user ON app_passwords (tenant_id, user_id);

CREATE TABLE mfa_recovery_codes (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  user_id INTEGER NOT NULL REFERENCES users (id),
  code_hash TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX mfa_recovery_codes_user ON mfa_recovery_codes (tenant_id, user_id);

CREATE TABLE user_devices (
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  user_id INTEGER NOT NULL REFERENCES users (id),
  device_hash TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, user_id, device_hash)
);

-- The audit trail: one hash chain over every entry (seq is gap-free), signed
-- checkpoints, and the chain head. Entries never carry personal data.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  at TEXT NOT NULL,
  tenant_id INTEGER REFERENCES tenants (id),
  actor_user_id INTEGER,
  action TEXT NOT NULL,
  resource TEXT NOT NULL,
  decision TEXT NOT NULL,
  trust_score INTEGER,
  ip_anon TEXT NOT NULL,
  request_id TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, seq);

CREATE TABLE audit_checkpoints (
  seq INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  at TEXT NOT NULL,
  key_id TEXT NOT NULL,
  signature TEXT NOT NULL
);

CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
