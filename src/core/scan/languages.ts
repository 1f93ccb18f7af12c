/** Which language a file is, by extension. */
import type { SourceLanguage } from './types.js';

const EXTENSIONS: Record<string, SourceLanguage> = {
  '.sql': 'sql',
  '.py': 'python',
  '.rb': 'ruby',
  '.rake': 'ruby',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.go': 'go',
};

/** Every extension a scanner reads, with its dot (".py"). */
export const SCANNED_EXTENSIONS: readonly string[] = Object.keys(EXTENSIONS);

export function languageForFile(file: string): SourceLanguage | undefined {
  const dot = file.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSIONS[file.slice(dot).toLowerCase()];
}
