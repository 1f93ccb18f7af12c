// Package fulfilment ships paid orders with pgx: one transaction per batch, a savepoint per order.
package fulfilment

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const nextPaid = `SELECT id FROM orders WHERE status = 'paid' ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`

// ShipBatch claims up to n paid orders and ships them.
func ShipBatch(ctx context.Context, pool *pgxpool.Pool, n int) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SET LOCAL lock_timeout = '2s'"); err != nil { // lockscope: site
		return err
	}
	rows, err := tx.Query(ctx, nextPaid, n) // lockscope: site
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	for _, id := range ids {
		// A savepoint per order: past 64 in one transaction the backend's subtransaction cache overflows.
		if _, err := tx.Exec(ctx, "SAVEPOINT ship_one"); err != nil { // lockscope: site  lockscope: finding subtransactions-in-loop
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE orders SET status = 'shipped', shipped_at = now() WHERE id = $1", id); err != nil { // lockscope: site
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO events (occurred_at, kind, order_id) VALUES (now(), 'shipped', $1)", id); err != nil { // lockscope: site
			return err
		}
	}
	return tx.Commit(ctx)
}
