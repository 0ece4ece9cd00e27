-- Public lists filter on the compliance level as well (anonymous readers see
-- `public` posts only): with the level in the listing index, counting a practice's
-- published posts (X-WP-Total) and walking them in date order can be index-only
-- scans instead of a heap fetch per post (docs/performance.md).
CREATE INDEX posts_tenant_type_status_date_level
  ON posts (tenant_id, type, status, date_gmt DESC, id DESC) INCLUDE (compliance_level);
DROP INDEX posts_tenant_type_status_date;
