/** The protocol's CancelRequest and a bounded close for node-postgres clients: both work when the server is dead or frozen. */
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import type pg from 'pg';

/** The pg internals used here: the backend key (from BackendKeyData) and the socket pg's Connection keeps as `stream`. */
interface PgClientInternals {
  processID: number | null;
  secretKey: number | null;
  connection: { stream: Duplex };
}

const internals = (client: pg.Client): PgClientInternals => client as unknown as PgClientInternals;

/**
 * Asks the server to cancel whatever this session is running (a CancelRequest on a new connection, as libpq's
 * PQcancel does), so an interrupted command does not leave its statement running until statement_timeout. Resolves
 * once sent or failed, within `timeoutMs` even when the server does not answer; never throws.
 */
export function sendCancelRequest(client: pg.Client, timeoutMs = 1000): Promise<void> {
  const { processID, secretKey } = internals(client);
  if (processID === null || secretKey === null) return Promise.resolve();
  const { host, port } = client;
  return new Promise((resolve) => {
    const socket = host.startsWith('/') ? netConnect(`${host}/.s.PGSQL.${port}`) : netConnect(port, host);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.once('error', finish);
    socket.once('connect', () => {
      const message = Buffer.alloc(16);
      message.writeInt32BE(16, 0);
      message.writeInt32BE(80877102, 4); // CancelRequest code
      message.writeInt32BE(processID, 8);
      message.writeInt32BE(secretKey, 12);
      socket.end(message, finish);
    });
  });
}

/**
 * Ends the session politely (Terminate), but gives up after `timeoutMs` and drops the socket: a frozen server never
 * acknowledges the goodbye, and a close that waits for it would hang the command forever. Never throws.
 */
export async function closeClient(client: pg.Client, timeoutMs = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const outcome = await Promise.race([
    client.end().then(
      () => 'ended' as const,
      () => 'ended' as const,
    ),
    gaveUp,
  ]);
  clearTimeout(timer);
  if (outcome === 'timeout') dropClient(client);
}

/** Destroys the client's socket at once (the server sees the connection close when it runs again). */
export function dropClient(client: pg.Client): void {
  const stream = internals(client).connection.stream;
  if (!stream.destroyed) stream.destroy();
}
