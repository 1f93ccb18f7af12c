-- The example shop's checkout, as one transaction (README main job: lockscope estimate --txn).
BEGIN;
SELECT * FROM orders WHERE id = 42 FOR UPDATE;  -- lockscope: site lockscope: finding row-lock-without-timeout
INSERT INTO order_items (order_id, product_id, quantity, price_cents) VALUES (42, 7, 1, 1999);  -- lockscope: site
UPDATE products SET stock = stock - 1 WHERE id = 7;  -- lockscope: site
UPDATE orders SET status = 'paid', paid_at = now(), total_cents = total_cents + 1999 WHERE id = 42;  -- lockscope: site
INSERT INTO payments (order_id, amount_cents, provider) VALUES (42, 1999, 'card');  -- lockscope: site
INSERT INTO events (occurred_at, kind, order_id) VALUES ('2026-03-14 12:00', 'checkout', 42);  -- lockscope: site
SELECT count(*) FROM events WHERE kind = 'checkout';  -- lockscope: site
SELECT * FROM order_summaries WHERE id = 42;  -- lockscope: site
COMMIT;
