-- The home page lists sticky posts first and then the others, and counts both: with
-- `sticky` in the listing index those counts can be index-only scans instead of a
-- heap fetch per published post (docs/performance.md).
CREATE INDEX posts_tenant_type_status_date_level_sticky
  ON posts (tenant_id, type, status, date_gmt DESC, id DESC) INCLUDE (compliance_level, sticky);
DROP INDEX posts_tenant_type_status_date_level;
