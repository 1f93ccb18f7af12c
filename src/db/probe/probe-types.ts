/**
 * What the probe runner host needs from the protocol, seen structurally: src/db may not import src/protocol
 * (test/unit/layering.test.ts), so the caller injects the message types (src/protocol/probe.ts PROBE_MESSAGES). The
 * data shapes themselves live in core (src/core/probe/runner-types.ts), shared by both sides.
 */
import type {
  ExplainOptions,
  ExplainResult,
  LoadOptions,
  LoadProgress,
  LoadRunResult,
  LocksResult,
  ProbeOpenState,
  ProbeOperation,
  ProbeParam,
} from '../../core/probe/runner-types.js';

export * from '../../core/probe/runner-types.js';

/** A message type as src/protocol/ipc.ts defines it (IpcMessageType), seen structurally. */
export interface MessageType<P> {
  readonly method: string;
  create(params: P): { method: string; params: P };
  is(message: unknown): message is { method: string; params: P };
  /** Why a message of this method is malformed (src/protocol validators); undefined when fine or another method. */
  problem?(message: unknown): string | undefined;
}

/** The probe runner's messages, injected by the caller (src/protocol/probe.ts PROBE_MESSAGES). */
export interface ProbeMessages {
  ready: MessageType<Record<string, never>>;
  runExplain: MessageType<{ options: ExplainOptions }>;
  runLocks: MessageType<{ execute: boolean }>;
  runLoad: MessageType<{ options: LoadOptions }>;
  cancel: MessageType<Record<string, never>>;
  exportResults: MessageType<{ format: 'json' | 'markdown' }>;
  setParams: MessageType<{ params: ProbeParam[] }>;
  opened: MessageType<{ state: ProbeOpenState }>;
  explainResult: MessageType<{ result: ExplainResult }>;
  locksResult: MessageType<{ result: LocksResult }>;
  loadStarted: MessageType<{ runId: number; options: LoadOptions }>;
  loadProgress: MessageType<{ progress: LoadProgress }>;
  loadResult: MessageType<{ result: LoadRunResult }>;
  error: MessageType<{ operation: ProbeOperation; message: string }>;
  cancelled: MessageType<{ operation: ProbeOperation }>;
  exported: MessageType<{ format: 'json' | 'markdown'; destination: string }>;
  paramsAccepted: MessageType<{ params: ProbeParam[] }>;
}
