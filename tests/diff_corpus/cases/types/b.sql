CREATE SCHEMA geo;
CREATE DOMAIN geo.latitude AS double precision CHECK (VALUE BETWEEN -90 AND 90);
CREATE TYPE geo.point2 AS (lat geo.latitude, lon double precision);
COMMENT ON TYPE geo.point2 IS 'a position on Earth';
CREATE TYPE address AS (street text, city text COLLATE "C", zip varchar(16), country char(2));
CREATE TYPE timerange AS RANGE (SUBTYPE = time, MULTIRANGE_TYPE_NAME = timeranges);
COMMENT ON TYPE timerange IS 'opening hours';
CREATE TABLE shops (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    location geo.point2,
    hours timerange,
    postal address
);
CREATE FUNCTION shop_city(address) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).city $$;
