-- Content generations: one counter per practice that every change to what the
-- public site and /wp-json show moves forward, inside the writing transaction.
-- The anonymous response cache (api/public_cache.h) keys its entries on it, so a
-- cached page is never served after a change is committed, whichever process made
-- it (the server, `hcms import wxr`, another node on the same database).

CREATE TABLE content_generations (
  tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id),
  generation INTEGER NOT NULL
);

CREATE TRIGGER posts_generation_insert AFTER INSERT ON posts BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER posts_generation_update AFTER UPDATE ON posts BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER posts_generation_delete AFTER DELETE ON posts BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (OLD.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER post_terms_generation_insert AFTER INSERT ON post_terms BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER post_terms_generation_update AFTER UPDATE ON post_terms BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER post_terms_generation_delete AFTER DELETE ON post_terms BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (OLD.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER post_meta_generation_insert AFTER INSERT ON post_meta BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER post_meta_generation_update AFTER UPDATE ON post_meta BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER post_meta_generation_delete AFTER DELETE ON post_meta BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (OLD.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER post_revisions_generation_insert AFTER INSERT ON post_revisions BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER post_revisions_generation_update AFTER UPDATE ON post_revisions BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER post_revisions_generation_delete AFTER DELETE ON post_revisions BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (OLD.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER content_terms_generation_insert AFTER INSERT ON content_terms BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER content_terms_generation_update AFTER UPDATE ON content_terms BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER content_terms_generation_delete AFTER DELETE ON content_terms BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (OLD.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER comments_generation_insert AFTER INSERT ON comments BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER comments_generation_update AFTER UPDATE ON comments BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER comments_generation_delete AFTER DELETE ON comments BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (OLD.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER author_profiles_generation_insert AFTER INSERT ON author_profiles BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER author_profiles_generation_update AFTER UPDATE ON author_profiles BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER author_profiles_generation_delete AFTER DELETE ON author_profiles BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (OLD.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

-- Authors' names and the practice's own name, host and time zone are on the pages too.
CREATE TRIGGER users_generation_update AFTER UPDATE OF display_name, status ON users BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER tenants_generation_update AFTER UPDATE OF name, host, timezone, status ON tenants
BEGIN
  INSERT INTO content_generations (tenant_id, generation) VALUES (NEW.id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
