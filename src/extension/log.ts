/** The "Lockscope" output channel: every error with its detail, never a password. */
import * as vscode from 'vscode';
import { redactSecrets } from '../core/redact.js';

export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Lockscope', { log: true });

  info(message: string): void {
    this.channel.info(redactSecrets(message));
  }

  warn(message: string): void {
    this.channel.warn(redactSecrets(message));
  }

  error(message: string, error?: unknown): void {
    const detail = error instanceof Error ? (error.stack ?? error.message) : error === undefined ? '' : String(error);
    // Driver errors and stacks quote connection strings: the one redaction runs on everything written here.
    this.channel.error(redactSecrets(detail === '' ? message : `${message}\n${detail}`));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
