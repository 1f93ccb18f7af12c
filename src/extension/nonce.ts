/** A fresh nonce per webview page for its Content-Security-Policy (crypto-strength, never Math.random). */
import { randomBytes } from 'node:crypto';

export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}
