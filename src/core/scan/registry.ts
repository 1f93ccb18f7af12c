/** Every language extractor, and scanning one file with the right one. */
import { languageOf, parseSource, type GrammarName } from './grammars.js';
import { emptyScan, type LanguageExtractor } from './extractor.js';
import { languageForFile } from './languages.js';
import { scanSqlText } from './sql/index.js';
import type { FileScan } from './types.js';

const extractors: LanguageExtractor[] = [];

/** Language extractors register here (kept out of this file so each lives with its language). */
export function registerExtractor(extractor: LanguageExtractor): void {
  extractors.push(extractor);
}

/** Files larger than this are not scanned (generated code, dumps): a problem is reported instead. */
export const MAX_SCANNED_BYTES = 2 * 1024 * 1024;

export function scanFile(file: string, text: string): FileScan | undefined {
  const language = languageForFile(file);
  if (language === undefined) return undefined;
  if (text.length > MAX_SCANNED_BYTES) {
    const scan = emptyScan(file, language);
    scan.problems.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `not scanned: larger than ${MAX_SCANNED_BYTES / 1024 / 1024} MB` });
    return scan;
  }
  if (text.includes('\u0000')) {
    const scan = emptyScan(file, language);
    scan.problems.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: 'not scanned: binary file' });
    return scan;
  }
  if (language === 'sql') return scanSqlText(file, text);
  const extractor = extractors.find((e) => e.languages.includes(language));
  if (extractor === undefined) {
    // Say so rather than report a file with no queries: the language scanner is not there yet.
    const scan = emptyScan(file, language);
    scan.problems.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `${language} files are not scanned for queries yet (only .sql files are)` });
    return scan;
  }
  languageOf(language as GrammarName); // fails clearly when grammars were not loaded
  const tree = parseSource(language as GrammarName, text);
  try {
    const scan = extractor.extract({ file, text, language, tree });
    // A file with syntax errors is still scanned (tree-sitter recovers), but the user should know.
    if (tree.rootNode.hasError) {
      const bad = tree.rootNode.descendantsOfType('ERROR')[0];
      const at = bad === null || bad === undefined ? { line: 0, character: 0 } : { line: bad.startPosition.row, character: bad.startPosition.column };
      scan.problems.push({ range: { start: at, end: at }, message: 'the file has syntax errors; sites near them may be missed' });
    }
    return scan;
  } catch (error) {
    const scan = emptyScan(file, language);
    scan.problems.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `scanner error: ${error instanceof Error ? error.message : String(error)}` });
    return scan;
  } finally {
    tree.delete();
  }
}
