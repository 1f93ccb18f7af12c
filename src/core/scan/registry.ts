/** Every language extractor, and scanning files with the right one: models first (all files), then sites. */
import type { Node, Tree } from 'web-tree-sitter';
import { languageOf, parseSource, type GrammarName } from './grammars.js';
import { emptyScan, type ExtractContext, type LanguageExtractor } from './extractor.js';
import { LANGUAGE_EXTRACTORS } from './lang/index.js';
import { languageForFile } from './languages.js';
import { ModelIndex, type ModelDeclaration } from './models.js';
import { readPrismaSchema } from './orm/prisma-schema.js';
import { scanSqlText } from './sql/index.js';
import type { FileScan, SourceLanguage } from './types.js';
import { findUnresolvedCalls } from './unresolved/find-unresolved.js';

/** Files larger than this are not scanned (generated code, dumps): a problem is reported instead. */
export const MAX_SCANNED_BYTES = 2 * 1024 * 1024;

export const AT_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Why a file is not handed to an extractor, or undefined when it is scannable. */
export function refusal(text: string): string | undefined {
  if (text.length > MAX_SCANNED_BYTES) return `not scanned: larger than ${MAX_SCANNED_BYTES / 1024 / 1024} MB`;
  if (text.includes('\u0000')) return 'not scanned: binary file';
  return undefined;
}

function parse(language: SourceLanguage, text: string): Tree {
  languageOf(language as GrammarName); // fails clearly when grammars were not loaded
  return parseSource(language as GrammarName, text);
}

/** First pass over one file: the models it declares (none for SQL, unknown languages and unscannable files). */
export function declareModels(
  file: string,
  text: string,
  extractors: readonly LanguageExtractor[] = LANGUAGE_EXTRACTORS,
): ModelDeclaration[] {
  // Prisma's schema file declares the models the TypeScript/JavaScript client queries.
  if (file.endsWith('.prisma')) {
    return readPrismaSchema(text).map((m) => ({
      language: 'typescript',
      name: m.name,
      table: m.table,
      confidence: 'likely',
      relations: m.relations,
      file,
      orm: 'prisma',
    }));
  }
  const language = languageForFile(file);
  if (language === undefined || language === 'sql' || refusal(text) !== undefined) return [];
  const extractor = extractors.find((e) => e.languages.includes(language));
  if (extractor?.declareModels === undefined || extractor.declaresModelsIn?.test(text) === false) return [];
  const tree = parse(language, text);
  try {
    return extractor.declareModels({ file, text, language, tree });
  } catch {
    return []; // the second pass reports the file's problem
  } finally {
    tree.delete();
  }
}

/** Scans one file with the extractor for its language (`extractors` lets a test scan with one extractor alone). */
export function scanFile(
  file: string,
  text: string,
  extractors: readonly LanguageExtractor[] = LANGUAGE_EXTRACTORS,
  models?: ModelIndex,
): FileScan | undefined {
  const language = languageForFile(file);
  if (language === undefined) return undefined;
  const refused = refusal(text);
  if (refused !== undefined) {
    const scan = emptyScan(file, language);
    scan.problems.push({ range: AT_START, message: refused });
    return scan;
  }
  if (language === 'sql') return scanSqlText(file, text);
  const extractor = extractors.find((e) => e.languages.includes(language));
  if (extractor === undefined) {
    // Say so rather than report a file with no queries: this language has no scanner.
    const scan = emptyScan(file, language);
    scan.problems.push({ range: AT_START, message: `${language} files are not scanned for queries yet (only .sql files are)` });
    return scan;
  }
  const tree = parse(language, text);
  try {
    return scanParsed({ file, text, language, tree, models }, extractor);
  } finally {
    tree.delete();
  }
}

/** The first ERROR node of a tree (the one a whole-tree search finds first), looking only inside statements with one. */
function firstError(root: Node): Node | undefined {
  for (const child of root.children) {
    if (child === null || !child.hasError) continue;
    const error = child.descendantsOfType('ERROR')[0];
    if (error !== null && error !== undefined) return error;
  }
  return undefined;
}

/** Scans one parsed file (the registry's and the incremental scanner's path): sites, unresolved calls, problems. */
export function scanParsed(context: ExtractContext, extractor: LanguageExtractor): FileScan {
  const { file, language, tree } = context;
  try {
    const scan = extractor.extract(context);
    // A statement-by-statement extractor lists each statement's unresolved calls itself.
    if (extractor.chunked === undefined) scan.unresolved = findUnresolvedCalls(context, scan);
    return withSyntaxProblem(scan, tree);
  } catch (error) {
    return scannerError(file, language, error);
  }
}

export function scannerError(file: string, language: SourceLanguage, error: unknown): FileScan {
  const scan = emptyScan(file, language);
  scan.problems.push({ range: AT_START, message: `scanner error: ${error instanceof Error ? error.message : String(error)}` });
  return scan;
}

/** A file with syntax errors is still scanned (tree-sitter recovers), but the user should know. */
export function withSyntaxProblem(scan: FileScan, tree: Tree): FileScan {
  if (!tree.rootNode.hasError) return scan;
  const bad = firstError(tree.rootNode);
  const at = bad === undefined ? { line: 0, character: 0 } : { line: bad.startPosition.row, character: bad.startPosition.column };
  scan.problems.push({ range: { start: at, end: at }, message: 'the file has syntax errors; sites near them may be missed' });
  return scan;
}

export interface SourceFile {
  file: string;
  text: string;
}

/** Scans a set of files: models declared in any of them are known in all of them. */
export function scanFiles(files: readonly SourceFile[], extractors: readonly LanguageExtractor[] = LANGUAGE_EXTRACTORS): FileScan[] {
  const models = new ModelIndex(files.flatMap((f) => declareModels(f.file, f.text, extractors)));
  return files.map((f) => scanFile(f.file, f.text, extractors, models)).filter((s): s is FileScan => s !== undefined);
}
