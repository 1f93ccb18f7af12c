/** Tree items the Lockscope side bar shares: a location that opens on click, an info row, a one-line query label. */
import * as vscode from 'vscode';
import type { OutlineNode } from './sidebar-tree.js';

/** A query on one line, cut to `width` characters. */
export const oneLine = (text: string, width = 70): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
};

/** Opens `file` at the 0-based line and character (vscode.open with a selection). */
export function openAt(file: string, line: number, character = 0): vscode.Command {
  const position = new vscode.Range(line, character, line, character);
  return { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(file), { selection: position }] };
}

/** A leaf row: label, description, icon, optional command and tooltip. */
export function leaf(label: string, description: string, icon: string, command?: vscode.Command, tooltip?: string): OutlineNode {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.description = description;
  item.iconPath = new vscode.ThemeIcon(icon);
  if (command !== undefined) item.command = command;
  if (tooltip !== undefined) item.tooltip = tooltip;
  return { item };
}

/** "app/models.py:12" for a 0-based line. */
export const locationLabel = (file: string, line: number): string => `${vscode.workspace.asRelativePath(file)}:${line + 1}`;
