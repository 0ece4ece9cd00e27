-- The content generation (migration 0500) moves when the writing transaction
-- commits instead of at its first change. Until now the counter row was locked
-- from a transaction's first change to its end, so two content writes of one
-- practice that also wanted a row of each other could deadlock (an edit saving a
-- post's categories while a category is deleted; an import while a post of it is
-- edited), and every content write of a practice waited for the one before it.
-- Deferred constraint triggers run at COMMIT, after every statement of the
-- transaction, so the counter row is held only while the transaction commits, and
-- a transaction holding it never waits for another row. The counter still becomes
-- visible together with the change it counts (same transaction), which is all the
-- caches that key on it need. It moves once per transaction and practice, not once
-- per row.

CREATE OR REPLACE FUNCTION hcms_bump_content_generation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  t BIGINT;
  flag TEXT;
BEGIN
  IF TG_TABLE_NAME = 'tenants' THEN
    t := NEW.id;
  ELSIF TG_OP = 'DELETE' THEN
    t := OLD.tenant_id;
  ELSE
    t := NEW.tenant_id;
  END IF;
  -- Moved already by this transaction (a transaction-local setting): done.
  flag := 'hcms.content_generation_moved_' || t;
  IF current_setting(flag, true) = '1' THEN
    RETURN NULL;
  END IF;
  PERFORM set_config(flag, '1', true);
  INSERT INTO content_generations (tenant_id, generation) VALUES (t, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = content_generations.generation + 1;
  RETURN NULL;
END
$$;

DROP TRIGGER posts_generation ON posts;
DROP TRIGGER post_terms_generation ON post_terms;
DROP TRIGGER post_meta_generation ON post_meta;
DROP TRIGGER post_revisions_generation ON post_revisions;
DROP TRIGGER content_terms_generation ON content_terms;
DROP TRIGGER comments_generation ON comments;
DROP TRIGGER author_profiles_generation ON author_profiles;
DROP TRIGGER users_generation ON users;
DROP TRIGGER tenants_generation ON tenants;

CREATE CONSTRAINT TRIGGER posts_generation AFTER INSERT OR UPDATE OR DELETE ON posts
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
CREATE CONSTRAINT TRIGGER post_terms_generation AFTER INSERT OR UPDATE OR DELETE ON post_terms
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
CREATE CONSTRAINT TRIGGER post_meta_generation AFTER INSERT OR UPDATE OR DELETE ON post_meta
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
CREATE CONSTRAINT TRIGGER post_revisions_generation
  AFTER INSERT OR UPDATE OR DELETE ON post_revisions
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
CREATE CONSTRAINT TRIGGER content_terms_generation
  AFTER INSERT OR UPDATE OR DELETE ON content_terms
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
CREATE CONSTRAINT TRIGGER comments_generation AFTER INSERT OR UPDATE OR DELETE ON comments
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
CREATE CONSTRAINT TRIGGER author_profiles_generation
  AFTER INSERT OR UPDATE OR DELETE ON author_profiles
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
CREATE CONSTRAINT TRIGGER users_generation AFTER UPDATE OF display_name, status ON users
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
CREATE CONSTRAINT TRIGGER tenants_generation
  AFTER UPDATE OF name, host, timezone, status ON tenants
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION hcms_bump_content_generation();
