-- The parent has column e; its child and grandchild inherit it (it is not
-- their own: pg_dump lists it in the parent only).
CREATE TABLE stamped (created_at timestamp DEFAULT now(), e integer DEFAULT 0);
CREATE TABLE item (a1 integer, touched integer DEFAULT 0) INHERITS (stamped);
CREATE INDEX item_e ON item (e);
CREATE TABLE item_archived (archived_at date) INHERITS (item);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql
    AS $$BEGIN NEW.touched := NEW.touched + 1; RETURN NEW; END$$;
CREATE TRIGGER item_touch BEFORE UPDATE ON item FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER item_archived_touch BEFORE UPDATE ON item_archived
    FOR EACH ROW EXECUTE FUNCTION touch();
