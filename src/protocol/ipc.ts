/** Typed host⇄webview messages: commands (webview→host), notifications (host→webview), each with an `is` guard. */

export interface IpcMessage<Params> {
  method: string;
  params: Params;
}

/** A message type identified by its method name (`scope/noun/verb`); narrows unknown input with `is`. */
export class IpcMessageType<Params> {
  constructor(readonly method: string) {}

  create(params: Params): IpcMessage<Params> {
    return { method: this.method, params };
  }

  is(message: unknown): message is IpcMessage<Params> {
    return typeof message === 'object' && message !== null && (message as { method?: unknown }).method === this.method;
  }
}
