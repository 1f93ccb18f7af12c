// Inventory reservations with Knex: the stock rows of an order, locked in one statement or (the bug) one by one.
import knex from 'knex';

const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });

export async function reserve(orderId: number, productIds: number[]): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('orders').where({ id: orderId }).forUpdate().noWait().first(); // lockscope: site
    for (const productId of productIds) {
      // One locked product row per iteration, each held until commit.
      await trx('products').where({ id: productId }).forUpdate().first(); // lockscope: site  lockscope: finding cascading-row-locks
      await trx('products').where({ id: productId }).decrement('stock', 1); // lockscope: site
    }
  });
}

export async function reserveBulk(orderId: number, productIds: number[]): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw("SET LOCAL lock_timeout = '2s'"); // lockscope: site
    await trx('products').whereIn('id', productIds).decrement('stock', 1); // lockscope: site
    await trx('orders').where({ id: orderId }).update({ status: 'reserved' }); // lockscope: site
  });
}
