CREATE SCHEMA billing;
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, balance numeric);
CREATE TABLE events (id bigint PRIMARY KEY, account_id bigint, kind text, at timestamptz);
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, account_id bigint, total numeric);
CREATE FUNCTION forbid_drops() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dropping is not allowed here: %', tg_tag;
END $$;
CREATE EVENT TRIGGER forbid_drops ON sql_drop EXECUTE FUNCTION forbid_drops();
ALTER EVENT TRIGGER forbid_drops DISABLE;
CREATE PUBLICATION app_changes FOR TABLE accounts (id, email), TABLE events WHERE (kind <> 'debug');
CREATE PUBLICATION billing_changes FOR TABLES IN SCHEMA billing WITH (publish = 'insert');
COMMENT ON PUBLICATION billing_changes IS 'to the ledger';
