-- Schema of the SQLAlchemy fixture app (test/fixtures/orm/sqlalchemy): what its models map to.
CREATE TABLE customers (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  status text NOT NULL DEFAULT 'new',
  placed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE INDEX orders_status_idx ON orders (status);
CREATE TABLE line_items (
  id bigserial PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id),
  product_id bigint NOT NULL,
  status text NOT NULL DEFAULT 'new'
);
CREATE INDEX line_items_order_idx ON line_items (order_id);
CREATE SCHEMA audit;
CREATE TABLE audit.audit_events (id bigserial PRIMARY KEY, order_id bigint NOT NULL, kind text NOT NULL);
