CREATE UNLOGGED TABLE rate_limits (key text PRIMARY KEY, points integer NOT NULL)
    WITH (fillfactor = 50);
CREATE TABLE good_jobs (id bigint PRIMARY KEY, finished_at timestamptz, serialized jsonb);
ALTER TABLE good_jobs ALTER COLUMN finished_at SET STATISTICS 1000;
CREATE TABLE posts (id bigint PRIMARY KEY, tag_string text NOT NULL DEFAULT '');
CREATE INDEX index_posts_on_tags ON posts USING gin (string_to_array(tag_string, ' '))
    WITH (fastupdate = false);
ALTER INDEX index_posts_on_tags ALTER COLUMN 1 SET STATISTICS 3000;
CREATE VIEW recent_posts WITH (security_barrier = true) AS SELECT id, tag_string FROM posts;
COMMENT ON COLUMN recent_posts.tag_string IS 'space-separated tags';
CREATE MATERIALIZED VIEW post_counts WITH (fillfactor = 90, autovacuum_enabled = false) AS
    SELECT count(*) AS n FROM posts;
