-- Content (issue #4): posts, pages and attachments in one table as in WordPress,
-- so ids are shared and /wp-json clients work; terms (categories with parents,
-- tags, the medical specialties), revisions, workflow history, post meta,
-- comments, public author profiles, and the full-text index.
-- Timestamps: RFC 3339 UTC text with microseconds (core/clock.h).

CREATE TABLE author_profiles (
  user_id INTEGER PRIMARY KEY REFERENCES users (id),
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  slug TEXT NOT NULL,
  bio TEXT NOT NULL DEFAULT '',
  crm TEXT,
  crm_uf TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (tenant_id, slug)
);

CREATE TABLE content_terms (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  taxonomy TEXT NOT NULL CHECK (length(taxonomy) BETWEEN 1 AND 32),
  name TEXT NOT NULL,
  slug TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  parent_id INTEGER REFERENCES content_terms (id),
  specialty TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (tenant_id, taxonomy, slug)
);
CREATE INDEX content_terms_parent ON content_terms (tenant_id, parent_id);

CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  type TEXT NOT NULL CHECK (type IN ('post', 'page', 'attachment')),
  status TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'approved', 'future', 'publish',
                                         'private', 'trash', 'inherit')),
  trashed_status TEXT,
  title TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL DEFAULT '',
  content_format TEXT NOT NULL DEFAULT 'html' CHECK (content_format IN ('html', 'markdown')),
  excerpt TEXT NOT NULL DEFAULT '',
  slug TEXT NOT NULL,
  author_id INTEGER REFERENCES users (id),
  parent_id INTEGER REFERENCES posts (id),
  menu_order INTEGER NOT NULL DEFAULT 0,
  comment_status TEXT NOT NULL DEFAULT 'open' CHECK (comment_status IN ('open', 'closed')),
  ping_status TEXT NOT NULL DEFAULT 'closed' CHECK (ping_status IN ('open', 'closed')),
  sticky INTEGER NOT NULL DEFAULT 0,
  featured_media_id INTEGER,
  compliance_level TEXT NOT NULL DEFAULT 'public'
    CHECK (compliance_level IN ('public', 'professional', 'restricted', 'phi')),
  mime_type TEXT NOT NULL DEFAULT '',
  source_url TEXT NOT NULL DEFAULT '',
  guid TEXT NOT NULL DEFAULT '',
  date_gmt TEXT NOT NULL,
  modified_gmt TEXT NOT NULL,
  created_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
-- Slugs are unique per tenant among posts and pages (one public URL space).
CREATE UNIQUE INDEX posts_tenant_slug ON posts (tenant_id, slug) WHERE type IN ('post', 'page');
CREATE UNIQUE INDEX posts_tenant_attachment_slug ON posts (tenant_id, slug) WHERE type = 'attachment';
CREATE INDEX posts_tenant_type_status_date ON posts (tenant_id, type, status, date_gmt DESC, id DESC);
CREATE INDEX posts_tenant_author ON posts (tenant_id, author_id);
CREATE INDEX posts_tenant_guid ON posts (tenant_id, guid);
CREATE INDEX posts_future ON posts (status, date_gmt) WHERE status = 'future';

CREATE TABLE post_terms (
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  term_id INTEGER NOT NULL REFERENCES content_terms (id) ON DELETE CASCADE,
  PRIMARY KEY (post_id, term_id)
);
CREATE INDEX post_terms_term ON post_terms (tenant_id, term_id, post_id);

CREATE TABLE post_meta (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  meta_key TEXT NOT NULL,
  meta_value TEXT NOT NULL DEFAULT ''
);
CREATE INDEX post_meta_post ON post_meta (tenant_id, post_id, meta_key);

CREATE TABLE post_revisions (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  author_id INTEGER REFERENCES users (id),
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  content_format TEXT NOT NULL,
  excerpt TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX post_revisions_post ON post_revisions (tenant_id, post_id, id);

CREATE TABLE post_transitions (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  action TEXT NOT NULL,
  actor_id INTEGER,
  comment TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX post_transitions_post ON post_transitions (tenant_id, post_id, id);

CREATE TABLE comments (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  parent_id INTEGER REFERENCES comments (id),
  user_id INTEGER REFERENCES users (id),
  author_name TEXT NOT NULL DEFAULT '',
  author_email TEXT NOT NULL DEFAULT '',
  author_url TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'hold' CHECK (status IN ('hold', 'approved', 'spam', 'trash')),
  date_gmt TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX comments_post ON comments (tenant_id, post_id, status, date_gmt);

-- Full text: accents folded (remove_diacritics 2); rowid = posts.id.
CREATE VIRTUAL TABLE posts_fts USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
