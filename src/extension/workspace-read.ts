/**
 * Reads a workspace file for scanning without ever blocking on it: a FIFO, device or socket that matches a glob
 * (`x.sql` as a named pipe) is skipped, as are files above 64 MB; on disk the CLI's non-blocking read is used.
 */
import * as vscode from 'vscode';
import { readSourceFile } from '../db/file-walk.js';

const MAX_READ_BYTES = 64 * 1024 * 1024;

/** The file's text, or undefined when it is not a regular file, too large or unreadable. */
export async function readWorkspaceText(uri: vscode.Uri): Promise<string | undefined> {
  if (uri.scheme === 'file') {
    const read = readSourceFile(uri.fsPath, MAX_READ_BYTES);
    return 'text' in read ? read.text : undefined;
  }
  const stat = await vscode.workspace.fs.stat(uri);
  if ((stat.type & vscode.FileType.File) === 0 || stat.size > MAX_READ_BYTES) return undefined;
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** `{ file, text }` for every readable file of `uris`, in order. */
export async function readWorkspaceFiles(uris: readonly vscode.Uri[]): Promise<Array<{ file: string; text: string }>> {
  const texts = await Promise.all(uris.map(readWorkspaceText));
  return uris.flatMap((u, i) => {
    const text = texts[i];
    return text === undefined ? [] : [{ file: u.fsPath, text }];
  });
}
