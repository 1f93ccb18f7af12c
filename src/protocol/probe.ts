/** Messages of the Probe Runner view (EXPLAIN | Locks | Load): the host opens it with a query, the page asks for runs. */
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
} from '../core/probe/runner-types.js';
import { IpcMessageType } from './ipc.js';
import { arrayOf, bool, noParams, number, object, oneOf, optional, text } from './validate.js';

export * from '../core/probe/runner-types.js';

/** The view id the page boots into (`<body data-view>`). */
export const PROBE_VIEW = 'probe';

const ANY = Number.MAX_SAFE_INTEGER;

export const ProbeReadyCommand = new IpcMessageType<Record<string, never>>('probe/ready', noParams);
export const RunExplainCommand = new IpcMessageType<{ options: ExplainOptions }>(
  'probe/explain/run',
  object({ options: object({ analyze: bool, buffers: bool, verbose: bool, settings: bool, genericPlan: bool }) }),
);
export const RunLocksCommand = new IpcMessageType<{ execute: boolean }>('probe/locks/run', object({ execute: bool }));
export const RunLoadCommand = new IpcMessageType<{ options: LoadOptions }>(
  'probe/load/run',
  object({
    options: object({
      // Types here; the ranges (PROBE_FORM_LIMITS) are the host's own check, with the form's wording.
      clients: number(-ANY, ANY),
      durationSeconds: number(-ANY, ANY),
      warmupSeconds: number(-ANY, ANY),
      thinkTimeMs: number(-ANY, ANY),
      mode: oneOf('as-is', 'transaction-with-scope', 'split'),
      protocol: optional(oneOf('simple', 'prepared')),
    }),
  }),
);
export const CancelCommand = new IpcMessageType<Record<string, never>>('probe/cancel', noParams);
export const ExportResultsCommand = new IpcMessageType<{ format: 'json' | 'markdown' }>(
  'probe/export',
  object({ format: oneOf('json', 'markdown') }),
);
export const SetParamsCommand = new IpcMessageType<{ params: ProbeParam[] }>(
  'probe/params/set',
  object({ params: arrayOf(object({ name: text(16), spec: text(1000) }), 100) }),
);

export const ProbeOpenNotification = new IpcMessageType<{ state: ProbeOpenState }>('probe/opened');
export const ExplainResultNotification = new IpcMessageType<{ result: ExplainResult }>('probe/explain/result');
export const LocksResultNotification = new IpcMessageType<{ result: LocksResult }>('probe/locks/result');
export const LoadStartedNotification = new IpcMessageType<{ runId: number; options: LoadOptions }>('probe/load/started');
export const LoadProgressNotification = new IpcMessageType<{ progress: LoadProgress }>('probe/load/progress');
export const LoadResultNotification = new IpcMessageType<{ result: LoadRunResult }>('probe/load/result');
export const ProbeErrorNotification = new IpcMessageType<{ operation: ProbeOperation; message: string }>('probe/error');
export const CancelledNotification = new IpcMessageType<{ operation: ProbeOperation }>('probe/cancelled');
export const ExportedNotification = new IpcMessageType<{ format: 'json' | 'markdown'; destination: string }>('probe/exported');
export const ParamsAcceptedNotification = new IpcMessageType<{ params: ProbeParam[] }>('probe/params/accepted');

/** What the page may send: the host answers anything else with a typed error (probe/error, operation params). */
export const PROBE_COMMANDS = [
  ProbeReadyCommand,
  RunExplainCommand,
  RunLocksCommand,
  RunLoadCommand,
  CancelCommand,
  ExportResultsCommand,
  SetParamsCommand,
] as const;

/** Every probe message by role, for the host controller (src/probe-runner/runner-host.ts). */
export const PROBE_MESSAGES = {
  ready: ProbeReadyCommand,
  runExplain: RunExplainCommand,
  runLocks: RunLocksCommand,
  runLoad: RunLoadCommand,
  cancel: CancelCommand,
  exportResults: ExportResultsCommand,
  setParams: SetParamsCommand,
  opened: ProbeOpenNotification,
  explainResult: ExplainResultNotification,
  locksResult: LocksResultNotification,
  loadStarted: LoadStartedNotification,
  loadProgress: LoadProgressNotification,
  loadResult: LoadResultNotification,
  error: ProbeErrorNotification,
  cancelled: CancelledNotification,
  exported: ExportedNotification,
  paramsAccepted: ParamsAcceptedNotification,
} as const;
