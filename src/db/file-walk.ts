/**
 * A bounded walk of source trees and a safe read of what it finds: special files (FIFOs, devices, sockets) are never
 * opened, symlinks are followed only into the walked roots, directory loops are cut, and every path that cannot be
 * walked or read (ELOOP, EACCES, ENOENT, too large) becomes a problem in the result instead of an exception or a hang.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';

export type SkipReason = 'special-file' | 'symlink-loop' | 'outside-roots' | 'unreadable' | 'vanished' | 'too-large';

/** A path the walk or the read left out, and why (the CLI prints these and lists them in --json `skipped`). */
export interface SkippedPath {
  path: string;
  reason: SkipReason;
  message: string;
}

export interface WalkOptions {
  /** Folders not entered (by name): dependencies, build output. */
  skipDirectory: (name: string) => boolean;
  /** Files kept (by name and path); a special file with a wanted name is reported, any other is ignored silently. */
  wantFile: (name: string, path: string) => boolean;
  /** Stop after this many files (default unlimited). */
  maxFiles?: number;
}

export interface WalkResult {
  files: string[];
  skipped: SkippedPath[];
}

const errnoOf = (error: unknown): string => (error as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';

/** The problem for an fs error on `path`. */
export function skippedFor(path: string, error: unknown): SkippedPath {
  const code = errnoOf(error);
  if (code === 'ELOOP') return { path, reason: 'symlink-loop', message: 'symbolic link loop (ELOOP)' };
  if (code === 'ENOENT') return { path, reason: 'vanished', message: 'no longer exists, or a dangling symbolic link (ENOENT)' };
  const text = error instanceof Error ? error.message : String(error);
  return { path, reason: 'unreadable', message: `cannot be read (${code}): ${text}` };
}

function specialKind(stat: Stats | Dirent): string | undefined {
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return undefined;
}

const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** Lists the wanted files under `roots` (directories; files given directly are the caller's). Never throws on a path. */
export function walkFiles(roots: readonly string[], options: WalkOptions): WalkResult {
  const files: string[] = [];
  const skipped: SkippedPath[] = [];
  const realRoots: string[] = [];
  for (const root of roots) {
    try {
      realRoots.push(realpathSync(root));
    } catch (error) {
      skipped.push(skippedFor(root, error));
    }
  }
  // Real paths of directories entered: a symlink (or bind mount) back to one of them is a loop, walked once.
  const entered = new Set<string>();
  const limit = options.maxFiles ?? Number.POSITIVE_INFINITY;

  const walk = (dir: string, realDir: string): void => {
    if (entered.has(realDir)) return;
    entered.add(realDir);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      skipped.push(skippedFor(dir, error));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (files.length >= limit) return;
      const full = join(dir, entry.name);
      let kind: Stats | Dirent = entry;
      let realPath = join(realDir, entry.name);
      if (entry.isSymbolicLink()) {
        try {
          realPath = realpathSync(full);
          kind = statSync(realPath);
        } catch (error) {
          if (options.wantFile(entry.name, full) || errnoOf(error) === 'ELOOP') skipped.push(skippedFor(full, error));
          continue;
        }
        if (!realRoots.some((root) => inside(root, realPath))) {
          if (kind.isDirectory() || options.wantFile(entry.name, full))
            skipped.push({ path: full, reason: 'outside-roots', message: `symbolic link to ${realPath}, outside the scanned folders` });
          continue;
        }
      }
      if (kind.isDirectory()) {
        if (options.skipDirectory(entry.name)) continue;
        if (entered.has(realPath)) {
          skipped.push({
            path: full,
            reason: 'symlink-loop',
            message: `the folder ${realPath}, already scanned (a loop or a second path to it)`,
          });
          continue;
        }
        walk(full, realPath);
      } else if (options.wantFile(entry.name, full)) {
        const special = specialKind(kind);
        if (special !== undefined) skipped.push({ path: full, reason: 'special-file', message: `${special}: not read` });
        else if (kind.isFile()) files.push(full);
      }
    }
  };
  roots.forEach((root, i) => {
    const real = realRoots[i];
    if (real !== undefined) walk(root, real);
  });
  return { files, skipped };
}

/**
 * Reads a file as UTF-8 without ever blocking on it: opened non-blocking, checked with fstat to be a regular file
 * (a path swapped for a FIFO after the walk is caught here), refused above `maxBytes`.
 */
export function readSourceFile(path: string, maxBytes: number): { text: string } | { skipped: SkippedPath } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { skipped: skippedFor(path, error) };
  }
  try {
    const stat = fstatSync(fd);
    const special = specialKind(stat);
    if (special !== undefined || !stat.isFile())
      return { skipped: { path, reason: 'special-file', message: `${special ?? 'not a regular file'}: not read` } };
    if (stat.size > maxBytes) {
      const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
      return { skipped: { path, reason: 'too-large', message: `${mb(stat.size)} MB, larger than the ${mb(maxBytes)} MB limit: not read` } };
    }
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return { text: buffer.subarray(0, read).toString('utf8') };
  } catch (error) {
    return { skipped: skippedFor(path, error) };
  } finally {
    closeSync(fd);
  }
}

/** Explicit file arguments: a regular file is kept, a special or missing one is a problem. */
export function checkGivenFile(path: string): SkippedPath | undefined {
  try {
    const special = specialKind(statSync(path));
    return special === undefined ? undefined : { path, reason: 'special-file', message: `${special}: not read` };
  } catch (error) {
    return skippedFor(path, error);
  }
}
