-- A small PostgreSQL warehouse for the example catalog (examples/catalog, server `warehouse`): schema
-- `shop` of the `shop-orders` product (150 synthetic orders with their items), schema `shop_marts` of
-- `shop-revenue-daily`, and the read-only role the catalog connects as. Run it in a database of its own, never in the catalog's database:
--
--   createdb warehouse
--   psql -d warehouse -v reader_password="$WAREHOUSE_PASSWORD" -f examples/warehouse/warehouse.sql
--
-- Re-running it recreates the schema and resets the role's password.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
\if :{?reader_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'Give the password of catalog_reader: psql -d warehouse -v reader_password=... -f warehouse.sql'; END $$;
\endif

BEGIN;

DROP SCHEMA IF EXISTS shop CASCADE;
CREATE SCHEMA shop;

CREATE TABLE shop.orders (
  order_id     text PRIMARY KEY,
  customer_id  text NOT NULL,
  order_date   date NOT NULL,
  status       text NOT NULL,
  total_amount numeric(10,2) NOT NULL
);

CREATE TABLE shop.order_items (
  order_id   text NOT NULL REFERENCES shop.orders (order_id),
  line_no    integer NOT NULL,
  sku        text NOT NULL,
  quantity   integer NOT NULL,
  unit_price numeric(10,2) NOT NULL,
  PRIMARY KEY (order_id, line_no)
);

CREATE TEMP TABLE products (n integer, sku text, unit_price numeric(10,2)) ON COMMIT DROP;
INSERT INTO products VALUES
  (0, 'MUG-CERAMIC-350', 12.90), (1, 'TEE-ORGANIC-M', 24.00), (2, 'TEE-ORGANIC-L', 24.00),
  (3, 'HOODIE-GREY-L', 59.00), (4, 'CAP-NAVY', 19.50), (5, 'BOTTLE-STEEL-750', 22.90),
  (6, 'NOTEBOOK-A5', 8.40), (7, 'PEN-SET-3', 6.90), (8, 'TOTE-CANVAS', 14.00),
  (9, 'SOCKS-WOOL-2', 16.80), (10, 'POSTER-A2', 11.00), (11, 'STICKER-PACK', 4.50);

-- One to four lines per order, chosen deterministically so every run gives the same data.
CREATE TEMP TABLE lines ON COMMIT DROP AS
SELECT 'ORD-' || (10000 + o) AS order_id, l AS line_no, p.sku, 1 + (o * l) % 3 AS quantity,
       p.unit_price
  FROM generate_series(1, 150) AS o
 CROSS JOIN LATERAL generate_series(1, 1 + (o * 7) % 4) AS l
  JOIN products p ON p.n = (o * 5 + l * 3) % 12;

INSERT INTO shop.orders (order_id, customer_id, order_date, status, total_amount)
SELECT 'ORD-' || (10000 + o),
       'CUST-' || lpad((1 + (o * 37) % 60)::text, 4, '0'),
       date '2026-01-02' + o * 2 + o % 3,
       CASE
         WHEN o > 145 THEN 'placed'
         WHEN o > 138 THEN 'paid'
         WHEN o % 19 = 0 THEN 'canceled'
         WHEN o % 11 = 0 THEN 'returned'
         WHEN o > 125 THEN 'shipped'
         ELSE 'delivered'
       END,
       (SELECT sum(quantity * unit_price) FROM lines WHERE lines.order_id = 'ORD-' || (10000 + o))
  FROM generate_series(1, 150) AS o;

INSERT INTO shop.order_items (order_id, line_no, sku, quantity, unit_price)
SELECT order_id, line_no, sku, quantity, unit_price FROM lines ORDER BY order_id, line_no;

-- The daily revenue mart of the example's `shop-revenue-daily` product (port in schema shop_marts).
DROP SCHEMA IF EXISTS shop_marts CASCADE;
CREATE SCHEMA shop_marts;
CREATE VIEW shop_marts.revenue_daily AS
SELECT order_date,
       count(*)::integer AS order_count,
       sum(total_amount)::numeric(12,2) AS revenue,
       round(avg(total_amount), 2)::numeric(10,2) AS average_basket
  FROM shop.orders
 WHERE status NOT IN ('canceled', 'returned')
 GROUP BY order_date;

-- The catalog's login: it can read the tables of `shop` and `shop_marts` and nothing else, and every transaction it
-- starts is read-only (the catalog also opens each query with BEGIN READ ONLY).
SELECT format('CREATE ROLE catalog_reader LOGIN PASSWORD %L', :'reader_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'catalog_reader') \gexec
ALTER ROLE catalog_reader WITH LOGIN PASSWORD :'reader_password';
ALTER ROLE catalog_reader SET default_transaction_read_only = on;
GRANT CONNECT ON DATABASE :"DBNAME" TO catalog_reader;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA shop, shop_marts TO catalog_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA shop, shop_marts TO catalog_reader;

COMMIT;
