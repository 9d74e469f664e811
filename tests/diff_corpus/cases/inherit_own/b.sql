-- The child has e as its own column (bigint), which its own child inherits;
-- the parent has none. From B to A the parent adds e: the child's values
-- (and the grandchild's) must survive as the inherited column's, converted
-- to integer, without firing the UPDATE triggers.
CREATE TABLE stamped (created_at timestamp DEFAULT now());
CREATE TABLE item (a1 integer, e bigint, touched integer DEFAULT 0) INHERITS (stamped);
CREATE INDEX item_e ON item (e);
CREATE TABLE item_archived (archived_at date) INHERITS (item);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql
    AS $$BEGIN NEW.touched := NEW.touched + 1; RETURN NEW; END$$;
CREATE TRIGGER item_touch BEFORE UPDATE ON item FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER item_archived_touch BEFORE UPDATE ON item_archived
    FOR EACH ROW EXECUTE FUNCTION touch();
