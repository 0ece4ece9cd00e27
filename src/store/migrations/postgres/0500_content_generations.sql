-- Content generations: one counter per practice that every change to what the
-- public site and /wp-json show moves forward, inside the writing transaction.
-- The anonymous response cache (api/public_cache.h) keys its entries on it, so a
-- cached page is never served after a change is committed, whichever process made
-- it (the server, `hcms import wxr`, another node on the same database).
-- The counter row is locked until the writing transaction ends, so content writes
-- of one practice take turns at their first change (see docs/architecture.md).

CREATE TABLE content_generations (
  tenant_id BIGINT PRIMARY KEY REFERENCES tenants (id),
  generation BIGINT NOT NULL
);

CREATE FUNCTION hcms_bump_content_generation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  t BIGINT;
BEGIN
  IF TG_TABLE_NAME = 'tenants' THEN
    t := NEW.id;
  ELSIF TG_OP = 'DELETE' THEN
    t := OLD.tenant_id;
  ELSE
    t := NEW.tenant_id;
  END IF;
  INSERT INTO content_generations (tenant_id, generation) VALUES (t, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = content_generations.generation + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER posts_generation AFTER INSERT OR UPDATE OR DELETE ON posts
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
CREATE TRIGGER post_terms_generation AFTER INSERT OR UPDATE OR DELETE ON post_terms
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
CREATE TRIGGER post_meta_generation AFTER INSERT OR UPDATE OR DELETE ON post_meta
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
CREATE TRIGGER post_revisions_generation AFTER INSERT OR UPDATE OR DELETE ON post_revisions
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
CREATE TRIGGER content_terms_generation AFTER INSERT OR UPDATE OR DELETE ON content_terms
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
CREATE TRIGGER comments_generation AFTER INSERT OR UPDATE OR DELETE ON comments
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
CREATE TRIGGER author_profiles_generation AFTER INSERT OR UPDATE OR DELETE ON author_profiles
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();

-- Authors' names and the practice's own name, host and time zone are on the pages too.
CREATE TRIGGER users_generation AFTER UPDATE OF display_name, status ON users
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
CREATE TRIGGER tenants_generation AFTER UPDATE OF name, host, timezone, status ON tenants
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
