CREATE TABLE customer (customer_id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE payment (
    payment_id serial NOT NULL,
    customer_id integer NOT NULL,
    amount numeric(5,2) NOT NULL,
    payment_date timestamptz NOT NULL
) PARTITION BY RANGE (payment_date);
CREATE TABLE payment_p2022_01 (
    payment_id integer DEFAULT nextval('payment_payment_id_seq') NOT NULL,
    customer_id integer NOT NULL,
    amount numeric(5,2) NOT NULL,
    payment_date timestamptz NOT NULL
);
ALTER TABLE ONLY payment ATTACH PARTITION payment_p2022_01
    FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00');
CREATE INDEX idx_fk_payment_customer_id ON payment (customer_id);
CREATE INDEX idx_fk_payment_p2022_01_customer_id ON payment_p2022_01 (customer_id);
ALTER TABLE payment_p2022_01 ADD CONSTRAINT payment_p2022_01_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES customer (customer_id);
CREATE TABLE audit (id bigint, at timestamptz DEFAULT now());
CREATE TABLE audit_customer (customer_id integer) INHERITS (audit);
