-- Typical statements of the example shop, estimated by the README's main job.
SELECT * FROM orders WHERE id = 42;
SELECT * FROM orders WHERE id = 42 FOR UPDATE;
UPDATE orders SET status = 'paid', paid_at = now() WHERE id = 42;
INSERT INTO order_items (order_id, product_id, quantity, price_cents) VALUES (42, 7, 1, 1999);
SELECT count(*) FROM events WHERE kind = 'checkout';
SELECT * FROM events WHERE occurred_at >= '2026-03-01' AND occurred_at < '2026-04-01' AND order_id = 42;
SELECT * FROM sessions WHERE customer_id = 42;
SELECT * FROM order_summaries WHERE id = 42;
