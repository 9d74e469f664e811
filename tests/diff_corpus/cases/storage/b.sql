CREATE TABLE rate_limits (key text PRIMARY KEY, points integer NOT NULL);
CREATE UNLOGGED TABLE sessions (id text PRIMARY KEY, data jsonb)
    WITH (autovacuum_vacuum_scale_factor = 0.01, fillfactor = 70);
CREATE TABLE good_jobs (id bigint PRIMARY KEY, finished_at timestamptz, serialized jsonb)
    WITH (parallel_workers = 2);
ALTER TABLE good_jobs ALTER COLUMN serialized SET STATISTICS 50;
CREATE TABLE posts (id bigint PRIMARY KEY, tag_string text NOT NULL DEFAULT '');
CREATE INDEX index_posts_on_tags ON posts USING gin (string_to_array(tag_string, ' '))
    WITH (fastupdate = true);
ALTER INDEX index_posts_on_tags ALTER COLUMN 1 SET STATISTICS 500;
CREATE VIEW recent_posts WITH (check_option = local) AS SELECT id, tag_string FROM posts;
COMMENT ON COLUMN recent_posts.id IS 'the post';
CREATE MATERIALIZED VIEW post_counts WITH (autovacuum_enabled = true) AS
    SELECT count(*) AS n FROM posts;
