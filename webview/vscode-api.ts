/** The host bridge VS Code injects into webviews (acquireVsCodeApi), typed for our messages. */
import type { IpcMessage } from '../src/protocol/ipc.js';

export interface VsCodeApi {
  postMessage(message: IpcMessage<unknown>): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

/** acquireVsCodeApi may be called only once per page, so every view shares this one. */
export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}
