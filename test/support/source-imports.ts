/** The project's source files and the module specifiers each imports: what the layering and cycle tests check. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|mts|tsx)$/.test(name)) out.push(full);
  }
  return out;
}

/** Module specifiers of every import/export-from/require/dynamic import in a file, type-only imports included. */
export function importsOf(text: string): string[] {
  const specs: string[] = [];
  const pattern =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"]|(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const match of text.matchAll(pattern)) specs.push(match[1] ?? match[2] ?? match[3] ?? '');
  return specs;
}
