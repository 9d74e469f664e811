CREATE SCHEMA billing;
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, balance numeric);
CREATE TABLE events (id bigint, account_id bigint, kind text, at timestamptz, PRIMARY KEY (id, at))
    PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, account_id bigint, total numeric);
CREATE FUNCTION forbid_drops() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dropping is not allowed here: %', tg_tag;
END $$;
CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE 'ddl: %', tg_tag;
END $$;
CREATE EVENT TRIGGER forbid_drops ON sql_drop WHEN TAG IN ('DROP TABLE')
    EXECUTE FUNCTION forbid_drops();
CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION log_ddl();
COMMENT ON EVENT TRIGGER log_ddl IS 'every DDL in the server log';
CREATE PUBLICATION app_changes FOR TABLE accounts, TABLE events
    WITH (publish_via_partition_root = true);
CREATE PUBLICATION billing_changes FOR TABLES IN SCHEMA billing, TABLE accounts;
