/** One probe session's loop: each iteration is one write and one wait for ReadyForQuery (one round trip, no pipelining). */
import type { Duplex } from 'node:stream';
import type pg from 'pg';
import { drawValue, literal, type ParamSpec } from '../../core/probe/params.js';
import type { ProbeStats } from './client-loop-stats.js';
import { BackendReader, closeStatementMessage, copyFailMessage, executeMessages, parseMessage, queryMessage } from './client-loop-wire.js';

/**
 * `simple`: parameters rendered as literals into the text, one Query message (pgbench -M simple; custom plans).
 * `prepared`: each statement parsed once per session as a named statement, then Bind/Describe/Execute per iteration
 * with the drawn values as text parameters (pgbench -M prepared; the server may switch to a generic plan).
 */
export type ProbeProtocol = 'simple' | 'prepared';

/** A statement split at its $n placeholders once, so an iteration is a concatenation instead of a regex replace. */
interface CompiledStatement {
  text: string;
  /** Static text around the placeholders: parts.length === refs.length + 1. */
  parts: string[];
  /** 0-based parameter index of each placeholder ($1 → 0). */
  refs: number[];
  /** Each placeholder as written, kept when no spec fills it (as renderStatement does). */
  placeholders: string[];
  /** Highest $n referenced: the number of values its Bind carries. */
  arity: number;
}

function compile(text: string): CompiledStatement {
  const parts: string[] = [];
  const refs: number[] = [];
  const placeholders: string[] = [];
  let last = 0;
  // The same placeholder rule as renderStatement in core/probe/params.ts.
  for (const m of text.matchAll(/\$(\d+)\b/g)) {
    parts.push(text.slice(last, m.index));
    refs.push(Number(m[1]) - 1);
    placeholders.push(m[0]);
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(text.slice(last));
  return { text, parts, refs, placeholders, arity: refs.reduce((a, r) => Math.max(a, r + 1), 0) };
}

/** What one iteration sends, prepared once per probe and shared by its loops. */
export class IterationSource {
  private readonly statements: CompiledStatement[];
  /** Prepared protocol: BEGIN and ROLLBACK are steps of their own around the statements (same round trip). */
  readonly steps: CompiledStatement[];
  /** Per spec: draws a value; literal() is precomputed where the value set is fixed (integers are their own literal). */
  private readonly drawLiteral: Array<() => string>;
  private readonly drawRaw: Array<() => string>;

  constructor(
    statements: readonly string[],
    params: readonly ParamSpec[],
    readonly protocol: ProbeProtocol,
    private readonly wrap: boolean,
  ) {
    this.statements = statements.map(compile);
    this.steps = wrap ? [compile('BEGIN'), ...this.statements, compile('ROLLBACK')] : this.statements;
    this.drawRaw = params.map((spec) => () => drawValue(spec, Math.random));
    this.drawLiteral = params.map((spec) => {
      // A safe integer prints as plain digits, which literal() returns unchanged: skip its regex per call.
      if (spec.kind === 'int')
        return Number.isSafeInteger(spec.min) && Number.isSafeInteger(spec.max)
          ? () => drawValue(spec, Math.random)
          : () => literal(drawValue(spec, Math.random));
      const values = spec.kind === 'fixed' ? [spec.value] : spec.values.length > 0 ? spec.values : [''];
      const literals = values.map(literal);
      return () => literals[Math.floor(Math.random() * literals.length)] ?? '';
    });
  }

  /** Simple protocol: the whole iteration as one text; every statement draws its own values, as renderStatement did. */
  text(): string {
    let body = '';
    for (let s = 0; s < this.statements.length; s++) {
      const st = this.statements[s] as CompiledStatement;
      const values = this.drawLiteral.map((draw) => draw());
      let sql = st.parts[0] ?? '';
      for (let i = 0; i < st.refs.length; i++) sql += (values[st.refs[i] ?? 0] ?? st.placeholders[i] ?? '') + (st.parts[i + 1] ?? '');
      body += s === 0 ? sql : `;\n${sql}`;
    }
    return this.wrap ? `BEGIN;\n${body};\nROLLBACK` : body;
  }

  /** Prepared protocol: the values of one step's Bind ($1..$arity; a missing spec leaves the server to complain). */
  values(step: CompiledStatement): string[] {
    const values: string[] = [];
    for (let i = 0; i < step.arity && i < this.drawRaw.length; i++) values.push((this.drawRaw[i] as () => string)());
    return values;
  }
}

export interface LoopControl {
  /** True once the probe must stop (deadline or cancel); checked before each iteration. */
  stopped(now: number): boolean;
  thinkTimeMs: number;
  /** Called when the connection dies before the probe was told to stop (server killed, network cut): the run is partial. */
  connectionLost?(): void;
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

const ROLLBACK = queryMessage('ROLLBACK');
const COPY_FAIL = copyFailMessage('lockscope probe sends no COPY data');

/**
 * Runs iterations on one connected, idle client until control says stop. While it runs, the loop reads the socket
 * itself (pg's data listeners are set aside and put back when it ends, with the session idle), so pg stays the owner
 * of connect, errors and end(). Failures are rolled back and counted in stats by SQLSTATE.
 */
export function startClientLoop(client: pg.Client, source: IterationSource, control: LoopControl, stats: ProbeStats): ClientLoop {
  const stream = (client as unknown as PgClientInternals).connection.stream;
  let busy = false;
  let finished = false;
  let parsed = false;
  /** A first round failed: some of its statements may exist; Close them (a no-op for missing names) before re-Parse. */
  let reparse = false;
  let rollingBack = false;
  let t0 = 0;
  const prefix = `lockscope_probe_${Math.random().toString(36).slice(2, 8)}`;
  const names = source.steps.map((_, s) => `${prefix}_${s}`);
  const pgDataListeners = stream.listeners('data') as Array<(chunk: Buffer) => void>;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const iterationBytes = (): Buffer => {
    if (source.protocol === 'simple') return queryMessage(source.text());
    const steps = source.steps.map((step, s) => ({ name: names[s] ?? '', values: source.values(step) }));
    if (parsed) return executeMessages(steps);
    // First round (or a retry after a failed one): Close/Parse travel in the same write as the first execution.
    const setup = source.steps.flatMap((step, s) => [
      ...(reparse ? [closeStatementMessage(names[s] ?? '')] : []),
      parseMessage(names[s] ?? '', step.text),
    ]);
    return executeMessages(steps, setup);
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
  const iterate = (): void => {
    if (finished) return;
    t0 = performance.now();
    if (control.stopped(t0)) return finish();
    busy = true;
    rollingBack = false;
    if (!send(iterationBytes())) lost();
  };
  const next = (): void => {
    if (control.thinkTimeMs > 0) {
      busy = false;
      setTimeout(iterate, control.thinkTimeMs);
    } else iterate();
  };
  const reader = new BackendReader({
    ready: (errorCode) => {
      if (finished) return;
      if (rollingBack) return next();
      const t1 = performance.now();
      if (errorCode === undefined) {
        parsed = true;
        stats.complete(t0, t1);
        return next();
      }
      if (!parsed) reparse = true;
      // An error caused by our own cancel at the end is not the workload's error.
      if (!control.stopped(t1)) stats.error(errorCode);
      rollingBack = true;
      if (!send(ROLLBACK)) lost();
    },
    copyIn: () => void send(COPY_FAIL),
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
