CREATE SCHEMA geo;
CREATE DOMAIN geo.latitude AS double precision CHECK (VALUE BETWEEN -90 AND 90);
CREATE TYPE geo.point2 AS (lat geo.latitude, lon double precision);
COMMENT ON TYPE geo.point2 IS 'a position';
CREATE TYPE address AS (street text, city text COLLATE "C", zip varchar(10));
CREATE TYPE daterange2 AS RANGE (SUBTYPE = date);
CREATE TABLE shops (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    location geo.point2,
    opening daterange2
);
CREATE FUNCTION shop_city(address) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).city $$;
