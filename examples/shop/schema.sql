-- Example application schema (a small shop) used by the README's main job and by tests.
-- `orders` is the hot table: years of "just one more index" left it with 22 indexes, so every query that
-- touches it needs 23 relation locks — more than PostgreSQL 15's 16 fast-path slots.

CREATE TABLE customers (
  id bigserial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
  id bigserial PRIMARY KEY,
  sku text NOT NULL UNIQUE,
  title text NOT NULL,
  price_cents integer NOT NULL,
  stock integer NOT NULL DEFAULT 0
);
CREATE INDEX products_title_idx ON products (title);

CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  status text NOT NULL DEFAULT 'new',
  total_cents integer NOT NULL DEFAULT 0,
  currency text NOT NULL DEFAULT 'EUR',
  channel text,
  coupon text,
  shipping_country text,
  shipping_method text,
  warehouse_id integer,
  placed_at timestamptz NOT NULL DEFAULT now(),
  paid_at timestamptz,
  shipped_at timestamptz,
  delivered_at timestamptz,
  cancelled_at timestamptz,
  refunded_at timestamptz,
  external_ref text,
  notes text
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_total_idx ON orders (total_cents);
CREATE INDEX orders_currency_idx ON orders (currency);
CREATE INDEX orders_channel_idx ON orders (channel);
CREATE INDEX orders_coupon_idx ON orders (coupon);
CREATE INDEX orders_country_idx ON orders (shipping_country);
CREATE INDEX orders_method_idx ON orders (shipping_method);
CREATE INDEX orders_warehouse_idx ON orders (warehouse_id);
CREATE INDEX orders_placed_at_idx ON orders (placed_at);
CREATE INDEX orders_paid_at_idx ON orders (paid_at);
CREATE INDEX orders_shipped_at_idx ON orders (shipped_at);
CREATE INDEX orders_delivered_at_idx ON orders (delivered_at);
CREATE INDEX orders_cancelled_at_idx ON orders (cancelled_at);
CREATE INDEX orders_refunded_at_idx ON orders (refunded_at);
CREATE UNIQUE INDEX orders_external_ref_idx ON orders (external_ref);
CREATE INDEX orders_status_placed_idx ON orders (status, placed_at);
CREATE INDEX orders_customer_status_idx ON orders (customer_id, status);
CREATE INDEX orders_open_idx ON orders (placed_at) WHERE status IN ('new', 'paid');
CREATE INDEX orders_country_method_idx ON orders (shipping_country, shipping_method);
CREATE INDEX orders_notes_lower_idx ON orders (lower(notes));

CREATE TABLE order_items (
  id bigserial PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id bigint NOT NULL REFERENCES products (id),
  quantity integer NOT NULL,
  price_cents integer NOT NULL
);
CREATE INDEX order_items_order_id_idx ON order_items (order_id);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);

CREATE TABLE payments (
  id bigserial PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id),
  amount_cents integer NOT NULL,
  provider text NOT NULL,
  state text NOT NULL DEFAULT 'pending'
);
CREATE INDEX payments_order_id_idx ON payments (order_id);

-- Events, range-partitioned by month: a query without the partition key opens every partition.
CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY,
  occurred_at timestamptz NOT NULL,
  kind text NOT NULL,
  order_id bigint,
  payload jsonb,
  PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX events_order_id_idx ON events (order_id);
CREATE TABLE events_2026_01 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
CREATE TABLE events_2026_02 PARTITION OF events FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
CREATE TABLE events_2026_03 PARTITION OF events FOR VALUES FROM ('2026-03-01') TO ('2026-04-01');
CREATE TABLE events_2026_04 PARTITION OF events FOR VALUES FROM ('2026-04-01') TO ('2026-05-01');
CREATE TABLE events_2026_05 PARTITION OF events FOR VALUES FROM ('2026-05-01') TO ('2026-06-01');
CREATE TABLE events_2026_06 PARTITION OF events FOR VALUES FROM ('2026-06-01') TO ('2026-07-01');
CREATE TABLE events_default PARTITION OF events DEFAULT;

-- Sessions, hash-partitioned by customer.
CREATE TABLE sessions (
  customer_id bigint NOT NULL,
  token text NOT NULL,
  expires_at timestamptz NOT NULL
) PARTITION BY HASH (customer_id);
CREATE TABLE sessions_0 PARTITION OF sessions FOR VALUES WITH (modulus 4, remainder 0);
CREATE TABLE sessions_1 PARTITION OF sessions FOR VALUES WITH (modulus 4, remainder 1);
CREATE TABLE sessions_2 PARTITION OF sessions FOR VALUES WITH (modulus 4, remainder 2);
CREATE TABLE sessions_3 PARTITION OF sessions FOR VALUES WITH (modulus 4, remainder 3);
CREATE INDEX sessions_customer_idx ON sessions (customer_id);

CREATE VIEW order_summaries AS
  SELECT o.id, o.status, o.total_cents, c.email, count(i.id) AS items
    FROM orders o
    JOIN customers c ON c.id = o.customer_id
    LEFT JOIN order_items i ON i.order_id = o.id
   GROUP BY o.id, c.email;
