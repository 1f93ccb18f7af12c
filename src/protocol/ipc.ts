/** Typed host⇄webview messages: commands (webview→host), notifications (host→webview), each with an `is` guard. */
import type { Check } from './validate.js';

export interface IpcMessage<Params> {
  method: string;
  params: Params;
}

/** A message type identified by its method name (`scope/noun/verb`); narrows unknown input with `is`. */
export class IpcMessageType<Params> {
  constructor(
    readonly method: string,
    /** Validates `params` of a message from the page; commands declare one next to their type. */
    private readonly validateParams?: Check,
  ) {}

  create(params: Params): IpcMessage<Params> {
    return { method: this.method, params };
  }

  /** True for a message of this method whose params pass the validator: only then may a handler read them. */
  is(message: unknown): message is IpcMessage<Params> {
    return this.hasMethod(message) && this.problem(message) === undefined;
  }

  hasMethod(message: unknown): boolean {
    return typeof message === 'object' && message !== null && (message as { method?: unknown }).method === this.method;
  }

  /** Why a message of this method is malformed (undefined when it is fine or is another method). */
  problem(message: unknown): string | undefined {
    if (!this.hasMethod(message) || this.validateParams === undefined) return undefined;
    return this.validateParams((message as { params?: unknown }).params, 'params');
  }
}

/**
 * Why a message from the page cannot be handled: not a message, an unknown method, or malformed params of a known
 * one (undefined when one of `commands` accepts it). Hosts reply with this as a typed error.
 */
export function invalidCommand(message: unknown, commands: ReadonlyArray<IpcMessageType<unknown>>): string | undefined {
  if (typeof message !== 'object' || message === null || typeof (message as { method?: unknown }).method !== 'string')
    return 'Malformed message from the page: no method.';
  const method = (message as { method: string }).method;
  const command = commands.find((c) => c.hasMethod(message));
  if (command === undefined) return `Unknown message from the page: ${method.slice(0, 80)}.`;
  const problem = command.problem(message);
  return problem === undefined ? undefined : `Malformed message ${method} from the page: ${problem}.`;
}
