-- LGPD data-subject rights (issue #5): data subjects, consent history, documents held
-- about them, data-subject requests with their audited steps, the record of
-- processing activities (Art. 37) and per-tenant retention rules.
-- Records carrying personal or health data use UUIDv7 text ids.

CREATE TABLE data_subjects (
  id TEXT PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  kind TEXT NOT NULL CHECK (kind IN ('patient', 'reader', 'newsletter_contact')),
  full_name TEXT,
  email TEXT,
  phone TEXT,
  cpf TEXT,
  birth_date TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'anonymized', 'erased')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  anonymized_at TEXT,
  UNIQUE (tenant_id, id)
);
CREATE INDEX data_subjects_tenant_email ON data_subjects (tenant_id, email);
CREATE INDEX data_subjects_tenant_cpf ON data_subjects (tenant_id, cpf);

CREATE TABLE consents (
  id TEXT PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  subject_id TEXT NOT NULL,
  purpose TEXT NOT NULL,
  legal_basis TEXT NOT NULL,
  text_version TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('web', 'app', 'email', 'phone', 'paper', 'in_person', 'import')),
  granted_at TEXT NOT NULL,
  revoked_at TEXT,
  revoked_channel TEXT,
  created_at TEXT NOT NULL,
  FOREIGN KEY (tenant_id, subject_id) REFERENCES data_subjects (tenant_id, id)
);
CREATE INDEX consents_subject ON consents (tenant_id, subject_id, purpose);

CREATE TABLE subject_documents (
  id TEXT PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  subject_id TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('medical_record', 'exam_result', 'appointment',
                                             'billing', 'newsletter', 'contact_message', 'comment')),
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  content_type TEXT NOT NULL DEFAULT 'text/plain',
  created_at TEXT NOT NULL,
  anonymized_at TEXT,
  FOREIGN KEY (tenant_id, subject_id) REFERENCES data_subjects (tenant_id, id)
);
CREATE INDEX subject_documents_subject ON subject_documents (tenant_id, subject_id);
CREATE INDEX subject_documents_retention ON subject_documents (tenant_id, category, created_at);

CREATE TABLE dsr_requests (
  id TEXT PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  subject_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('access', 'portability', 'rectification', 'deletion')),
  status TEXT NOT NULL CHECK (status IN ('received', 'in_review', 'completed', 'rejected')),
  channel TEXT NOT NULL,
  changes TEXT,
  outcome TEXT,
  reason_code TEXT,
  reviewer_id INTEGER,
  received_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  completed_at TEXT,
  updated_at TEXT NOT NULL,
  FOREIGN KEY (tenant_id, subject_id) REFERENCES data_subjects (tenant_id, id)
);
CREATE INDEX dsr_requests_due ON dsr_requests (tenant_id, status, due_at);

CREATE TABLE privacy_events (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  event TEXT NOT NULL,
  subject_id TEXT,
  request_id TEXT,
  actor_id INTEGER,
  detail TEXT NOT NULL DEFAULT '{}',
  at TEXT NOT NULL
);
CREATE INDEX privacy_events_request ON privacy_events (tenant_id, request_id);

CREATE TABLE processing_activities (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  purpose TEXT NOT NULL,
  legal_basis TEXT NOT NULL,
  data_categories TEXT NOT NULL,
  subject_categories TEXT NOT NULL,
  recipients TEXT NOT NULL DEFAULT '',
  international_transfer INTEGER NOT NULL DEFAULT 0,
  retention TEXT NOT NULL,
  security_measures TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (tenant_id, name)
);

CREATE TABLE retention_rules (
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  category TEXT NOT NULL,
  years INTEGER NOT NULL CHECK (years >= 0),
  action TEXT NOT NULL CHECK (action IN ('anonymize', 'delete')),
  legal_reference TEXT NOT NULL,
  PRIMARY KEY (tenant_id, category)
);
