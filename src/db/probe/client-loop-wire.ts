/**
 * The few PostgreSQL protocol messages a probe iteration exchanges, written and read directly on a session's socket.
 * pg's own path turns every reply into message objects, row objects and events; a probe only needs "ready" and the
 * SQLSTATE of an error, and on a 2-core machine the client CPU that path costs is CPU the server's backends lack.
 */

/** One step of an iteration that runs as a named prepared statement. */
export interface BoundStep {
  /** Statement name, parsed once per session. */
  name: string;
  /** Text-format parameter values. */
  values: readonly string[];
}

const cstringSize = (s: string): number => Buffer.byteLength(s) + 1;

function message(type: string, bodySize: number): { out: Buffer; at: number } {
  const out = Buffer.allocUnsafe(1 + 4 + bodySize);
  out.write(type, 0, 'latin1');
  out.writeInt32BE(4 + bodySize, 1);
  return { out, at: 5 };
}

function putCString(out: Buffer, at: number, s: string): number {
  const end = at + out.write(s, at);
  out[end] = 0;
  return end + 1;
}

/** Parse of a named statement with no declared parameter types: the server infers them, as with PQprepare. */
export function parseMessage(name: string, text: string): Buffer {
  const { out, at } = message('P', cstringSize(name) + cstringSize(text) + 2);
  out.writeInt16BE(0, putCString(out, putCString(out, at, name), text));
  return out;
}

/** Close of a named statement; closing a name that does not exist is not an error. */
export function closeStatementMessage(name: string): Buffer {
  const { out, at } = message('C', 1 + cstringSize(name));
  out[at] = 0x53; // 'S'
  putCString(out, at + 1, name);
  return out;
}

/** CopyFail: a COPY … FROM STDIN gets no data from a probe; failing it keeps the session from waiting forever. */
export function copyFailMessage(reason: string): Buffer {
  const { out, at } = message('f', cstringSize(reason));
  putCString(out, at, reason);
  return out;
}

/** Describe (portal ""), Execute (portal "", all rows): the fixed tail of every step; Sync ends the round trip. */
const DESCRIBE_EXECUTE = Buffer.from([0x44, 0, 0, 0, 6, 0x50, 0, 0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0]);
export const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

/**
 * One iteration of parsed statements: per step Bind (unnamed portal, text parameters and results) + Describe +
 * Execute, then one Sync (unless `sync` is false) — what libpq's PQexecPrepared sends — in one exactly sized buffer. `prefix` (Close/Parse
 * messages of a first round) goes in front, so even that round is one write.
 */
export function executeMessages(steps: readonly BoundStep[], prefix: readonly Buffer[] = [], sync = true): Buffer {
  let size = sync ? SYNC.length : 0;
  for (const b of prefix) size += b.length;
  for (const { name, values } of steps) {
    size += 1 + 4 + 1 + cstringSize(name) + 2 + 2 + 2 + DESCRIBE_EXECUTE.length;
    for (const v of values) size += 4 + Buffer.byteLength(v);
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const b of prefix) at += b.copy(out, at);
  for (const { name, values } of steps) {
    const start = at;
    out[at++] = 0x42; // 'B'
    at += 4; // length, filled below
    out[at++] = 0; // unnamed portal
    at = putCString(out, at, name);
    at = out.writeInt16BE(0, at); // no parameter format codes: all text
    at = out.writeInt16BE(values.length, at);
    for (const v of values) {
      const len = out.write(v, at + 4);
      out.writeInt32BE(len, at);
      at += 4 + len;
    }
    at = out.writeInt16BE(0, at); // no result format codes: all text
    out.writeInt32BE(at - start - 1, start + 1);
    at += DESCRIBE_EXECUTE.copy(out, at);
  }
  if (sync) SYNC.copy(out, at);
  return out;
}

/** ReadyForQuery's status byte: I idle (no transaction block), T in a transaction, E in a failed transaction. */
export type TxStatus = 'I' | 'T' | 'E';

export interface BackendEvents {
  /**
   * ReadyForQuery: the round trip up to a Sync is over; `errorCode` is the SQLSTATE of its first ErrorResponse, if any,
   * and `status` the transaction status the server reports after it.
   */
  ready(errorCode: string | undefined, status: TxStatus): void;
  /** CopyInResponse: the server waits for COPY data. */
  copyIn(): void;
}

/**
 * Splits the socket's byte stream into backend messages and reports only what the loop acts on. Rows, row
 * descriptions, command tags, notices and parameter-status messages are skipped by length without being decoded.
 */
export class BackendReader {
  private pending: Buffer | undefined;
  private errorCode: string | undefined;

  constructor(private readonly events: BackendEvents) {}

  /** The SQLSTATE of an ErrorResponse seen since the last ReadyForQuery (e.g. a FATAL before the socket closed). */
  get lastErrorCode(): string | undefined {
    return this.errorCode;
  }

  /** A message split across reads is kept until the rest arrives. */
  feed(chunk: Buffer): void {
    const buf = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = undefined;
    let at = 0;
    while (buf.length - at >= 5) {
      const end = at + 1 + buf.readInt32BE(at + 1);
      if (end > buf.length) break;
      const type = buf[at];
      if (type === 0x45 /* E */) this.errorCode ??= sqlState(buf, at + 5, end);
      else if (type === 0x47 /* G */) this.events.copyIn();
      else if (type === 0x5a /* Z */) {
        const code = this.errorCode;
        this.errorCode = undefined;
        const byte = String.fromCharCode(buf[at + 5] ?? 0x49);
        this.events.ready(code, byte === 'T' || byte === 'E' ? byte : 'I');
      }
      at = end;
    }
    if (at < buf.length) this.pending = buf.subarray(at);
  }
}

/** The 'C' (code) field of an ErrorResponse body: a list of (type byte, cstring) ended by a zero byte. */
function sqlState(buf: Buffer, from: number, end: number): string {
  let at = from;
  while (at < end && buf[at] !== 0) {
    const type = buf[at];
    const stop = buf.indexOf(0, at + 1);
    if (stop < 0 || stop >= end) break;
    if (type === 0x43 /* C */) return buf.toString('latin1', at + 1, stop);
    at = stop + 1;
  }
  return 'server';
}
