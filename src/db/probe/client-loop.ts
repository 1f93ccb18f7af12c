/**
 * One probe session's loop. Every iteration is `BEGIN [READ ONLY]`, the statements, `ROLLBACK`, each statement its own
 * extended-protocol message (Parse/Bind/Execute: the server refuses a second statement in one), and after each the
 * ReadyForQuery status is checked: a statement after which the session is no longer in a transaction has escaped it,
 * and the whole probe stops. BEGIN travels with the first statement before one Sync (if BEGIN fails, the statement is
 * skipped, never run in autocommit); the next statement is sent only once the previous one was seen inside the
 * transaction; ROLLBACK goes with the last. A one-statement iteration is therefore still one round trip.
 */
import type { Duplex } from 'node:stream';
import type pg from 'pg';
import { drawValue, fillSlots, literal, parameterSlots, type ParamSpec, type ParameterSlots } from '../../core/probe/params.js';
import type { ProbeStats } from './client-loop-stats.js';
import {
  BackendReader,
  closeStatementMessage,
  executeMessages,
  parseMessage,
  SYNC,
  type BoundStep,
  type TxStatus,
} from './client-loop-wire.js';

/**
 * `simple`: parameters rendered as literals into the text at the lexer's parameter tokens, an unnamed statement parsed
 * each time (custom plans, as pgbench -M simple gets). `prepared`: each statement parsed once per session as a named
 * statement, then Bind/Execute per iteration with the drawn values as text parameters (pgbench -M prepared; the server
 * may switch to a generic plan).
 */
export type ProbeProtocol = 'simple' | 'prepared';

interface CompiledStatement extends ParameterSlots {
  text: string;
  /** Highest $n referenced: the number of values its Bind carries. */
  arity: number;
}

function compile(text: string): CompiledStatement {
  const slots = parameterSlots(text);
  return { text, ...slots, arity: slots.refs.reduce((a, r) => Math.max(a, r + 1), 0) };
}

/** What one iteration sends, prepared once per probe and shared by its loops. */
export class IterationSource {
  readonly statements: CompiledStatement[];
  /** BEGIN READ ONLY for a read-only probe: the transaction itself cannot write, whatever a statement tries. */
  readonly begin: string;
  /** Per spec: draws a value; literal() is precomputed where the value set is fixed (integers are their own literal). */
  private readonly drawLiteral: Array<() => string>;
  private readonly drawRaw: Array<() => string>;

  constructor(
    statements: readonly string[],
    params: readonly ParamSpec[],
    readonly protocol: ProbeProtocol,
    readOnly: boolean,
    /** Each statement in a transaction of its own (BEGIN … ROLLBACK around each), not one transaction for all. */
    readonly split = false,
  ) {
    this.statements = statements.map(compile);
    this.begin = readOnly ? 'BEGIN READ ONLY' : 'BEGIN READ WRITE';
    this.drawRaw = params.map((spec) => () => drawValue(spec, Math.random));
    this.drawLiteral = params.map((spec) => {
      if (spec.kind === 'int') return () => literal(drawValue(spec, Math.random));
      const values = spec.kind === 'fixed' ? [spec.value] : spec.values.length > 0 ? spec.values : [''];
      const literals = values.map(literal);
      return () => literals[Math.floor(Math.random() * literals.length)] ?? '';
    });
  }

  /** Simple protocol: statement `i` with values drawn for it, as text (the lexer's parameter tokens replaced). */
  text(i: number): string {
    const st = this.statements[i] as CompiledStatement;
    return fillSlots(
      st,
      this.drawLiteral.map((draw) => draw()),
    );
  }

  /** Prepared protocol: the values of statement `i`'s Bind ($1..$arity; a missing spec leaves the server to complain). */
  values(i: number): string[] {
    const step = this.statements[i] as CompiledStatement;
    const values: string[] = [];
    for (let v = 0; v < step.arity && v < this.drawRaw.length; v++) values.push((this.drawRaw[v] as () => string)());
    return values;
  }
}

export interface LoopControl {
  /** True once the probe must stop (deadline, cancel, or an escape elsewhere); checked before each iteration. */
  stopped(now: number): boolean;
  thinkTimeMs: number;
  /** Called when the connection dies before the probe was told to stop (server killed, network cut): the run is partial. */
  connectionLost?(): void;
  /** A statement left the transaction (status idle after it): the probe must stop everything at once. */
  escaped?(sql: string, status: TxStatus): void;
}

/** A running client loop: resolves when the loop has ended and the session is idle (or dead). */
export interface ClientLoop {
  done: Promise<void>;
  /** An iteration is on the wire: a cancel request would reach it. */
  busy(): boolean;
}

/** The one pg internal the loop borrows: pg's Client keeps its Connection as `connection`, the socket as its `stream`. */
interface PgClientInternals {
  connection: { stream: Duplex };
}

/** Parse (unnamed) + Bind + Describe + Execute of a text with no parameters, no Sync. */
function unnamed(text: string): Buffer[] {
  return [parseMessage('', text), executeMessages([{ name: '', values: [] }], [], false)];
}

/** What a ReadyForQuery that is still to come answers (a ROLLBACK says after which statement it was sent). */
type Pending = { kind: 'statement'; index: number } | { kind: 'rollback'; after: number };

/**
 * Runs iterations on one connected, idle client until control says stop. While it runs, the loop reads the socket
 * itself (pg's data listeners are set aside and put back when it ends, with the session idle), so pg stays the owner
 * of connect, errors and end(). Failures are rolled back and counted in stats by SQLSTATE.
 */
export function startClientLoop(client: pg.Client, source: IterationSource, control: LoopControl, stats: ProbeStats): ClientLoop {
  const stream = (client as unknown as PgClientInternals).connection.stream;
  const beginBytes = unnamed(source.begin);
  const rollbackBytes = Buffer.concat([...unnamed('ROLLBACK'), SYNC]);
  const last = source.statements.length - 1;
  let busy = false;
  let finished = false;
  let parsed = false;
  /** A first round failed: some of its statements may exist; Close them (a no-op for missing names) before re-Parse. */
  let reparse = false;
  let t0 = 0;
  let pending: Pending[] = [];
  let iterationError: string | undefined;
  let rollbackSent = false;
  const prefix = `lockscope_probe_${Math.random().toString(36).slice(2, 8)}`;
  const names = source.statements.map((_, s) => `${prefix}_${s}`);
  const pgDataListeners = stream.listeners('data') as Array<(chunk: Buffer) => void>;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  /**
   * Statement `i` (with BEGIN before it when first — or always, split — and the first round's Parse messages), then
   * Sync; ROLLBACK after the last (split: after each, so every statement is a transaction of its own). Transaction
   * control is never user text: the guard refuses it, and split mode is this loop's structure instead.
   */
  const statementBytes = (i: number): Buffer => {
    const parts: Buffer[] = [];
    if (i === 0 && source.protocol === 'prepared' && !parsed)
      for (const [s, st] of source.statements.entries()) {
        if (reparse) parts.push(closeStatementMessage(names[s] ?? ''));
        parts.push(parseMessage(names[s] ?? '', st.text));
      }
    if (i === 0 || source.split) parts.push(...beginBytes);
    if (source.protocol === 'simple') parts.push(...unnamed(source.text(i)));
    else parts.push(executeMessages([{ name: names[i] ?? '', values: source.values(i) } satisfies BoundStep], [], false));
    parts.push(SYNC);
    pending.push({ kind: 'statement', index: i });
    if (i === last || source.split) {
      parts.push(rollbackBytes);
      pending.push({ kind: 'rollback', after: i });
      rollbackSent = true;
    }
    return Buffer.concat(parts);
  };
  const send = (bytes: Buffer): boolean => {
    if (!stream.writable) return false;
    stream.write(bytes);
    return true;
  };
  const finish = (): void => {
    if (finished) return;
    finished = true;
    busy = false;
    stream.off('data', onData);
    stream.off('close', onClose);
    if (!stream.destroyed) for (const listener of pgDataListeners) stream.on('data', listener);
    resolveDone();
  };
  const lost = (): void => {
    if (!finished && !control.stopped(performance.now())) {
      stats.error(reader.lastErrorCode ?? 'client');
      control.connectionLost?.();
    }
    finish(); // the connection is gone
  };
  /** Ends the loop on a session whose state is not to be trusted: the dropped socket makes the server roll back. */
  const abandon = (): void => {
    finish();
    stream.destroy();
  };
  const iterate = (): void => {
    if (finished) return;
    t0 = performance.now();
    if (control.stopped(t0)) return finish();
    busy = true;
    pending = [];
    iterationError = undefined;
    rollbackSent = false;
    if (!send(statementBytes(0))) lost();
  };
  const next = (): void => {
    if (control.thinkTimeMs > 0) {
      busy = false;
      setTimeout(iterate, control.thinkTimeMs);
    } else iterate();
  };
  const iterationDone = (): void => {
    const t1 = performance.now();
    if (iterationError === undefined) {
      parsed = true;
      stats.complete(t0, t1);
    } else {
      if (!parsed) reparse = true;
      // An error caused by our own cancel at the end is not the workload's error.
      if (!control.stopped(t1)) stats.error(iterationError);
    }
    next();
  };
  const reader = new BackendReader({
    ready: (errorCode, status) => {
      if (finished) return;
      const answered = pending.shift();
      if (answered === undefined) return;
      if (answered.kind === 'rollback') {
        if (pending.length > 0) return;
        // Split: the next statement opens the next transaction, unless this one failed (the iteration ends there).
        if (source.split && iterationError === undefined && answered.after < last) {
          rollbackSent = false;
          if (!send(statementBytes(answered.after + 1))) lost();
          return;
        }
        iterationDone();
        return;
      }
      if (errorCode !== undefined) {
        // The statement (or the BEGIN before it) failed: nothing after it runs; roll back if not already on its way.
        iterationError ??= errorCode;
        if (!rollbackSent) {
          rollbackSent = true;
          pending.push({ kind: 'rollback', after: answered.index });
          if (!send(rollbackBytes)) lost();
        }
        return;
      }
      if (status === 'I') {
        // No error and no transaction: the statement ended Lockscope's transaction. Stop everything, never continue.
        control.escaped?.(source.statements[answered.index]?.text ?? '', status);
        return abandon();
      }
      if (!source.split && answered.index < last && !send(statementBytes(answered.index + 1))) lost();
    },
    // A probe sends no COPY data (the guard refuses COPY FROM STDIN): a session waiting for it is dropped, not fed.
    copyIn: () => {
      iterationError ??= 'copy-in';
      stats.error('copy-in');
      abandon();
    },
  });
  const onData = (chunk: Buffer): void => reader.feed(chunk);
  const onClose = (): void => lost();
  for (const listener of pgDataListeners) stream.off('data', listener);
  stream.on('data', onData);
  stream.once('close', onClose);
  if (stream.destroyed) lost();
  else iterate();
  return { done, busy: () => busy };
}
