/** The contract each language extractor implements, and the helpers they share. */
import type { Node, Tree } from 'web-tree-sitter';
import type { ModelDeclaration, ModelIndex } from './models.js';
import type { CallSite, FileScan, QuerySite, SourceLanguage, SubtransactionSite, UnresolvedCall } from './types.js';

export interface ExtractContext {
  file: string;
  text: string;
  language: SourceLanguage;
  tree: Tree;
  /** Models declared across the scanned tree (empty when a single file is scanned alone). */
  models?: ModelIndex;
}

/** One per language (or family): finds query sites, subtransactions and local calls in one parsed file. */
export interface LanguageExtractor {
  languages: readonly SourceLanguage[];
  extract(context: ExtractContext): FileScan;
  /** First pass: the models this file declares, for queries in other files. */
  declareModels?(context: ExtractContext): ModelDeclaration[];
  /** Text every model declaration needs: a file without it is not parsed a second time for the model pass. */
  declaresModelsIn?: RegExp;
  /** Set when the file is read top-level statement by top-level statement (src/core/scan/incremental/). */
  chunked?: ChunkedExtraction<unknown>;
}

/** One top-level statement's share of its file's scan, positions as in the file it was read from. */
export interface ChunkScan {
  sites: QuerySite[];
  calls: CallSite[];
  subtransactions: SubtransactionSite[];
  /** Nested transaction blocks: a file lists them after its other subtransactions (the order a whole-file read has). */
  scopeSubtransactions: SubtransactionSite[];
  unresolved: UnresolvedCall[];
  /** Functions of the statement the framework runs in autocommit mode (FileScan.autocommitEntries). */
  autocommitEntries?: string[];
}

/** A pass over one tree, given its file's context: extracts any of its top-level statements. */
export interface ChunkPass {
  classes: FileScan['classes'];
  extract(statement: Node): ChunkScan;
}

/**
 * An extractor whose file-wide context is the sum of what each top-level statement contributes (its facts: imports,
 * classes, functions, module-level assignments — no positions, no nodes). A statement's extraction reads only its
 * own subtree, the facts, the pass's fingerprint and the models; so while those are unchanged, a statement whose
 * text is unchanged extracts the same (moved by whole lines when the text above it grew or shrank).
 */
export interface ChunkedExtraction<Facts> {
  facts(statement: Node): Facts;
  /** What extraction and the model pass read of the whole text (an import anywhere, a settings flag), as a string. */
  textFlags(text: string): string;
  /** Whether a statement's facts say the model pass must read it (it defines a class). */
  declaresModels(facts: Facts): boolean;
  /** The pass over `context.tree`, given every top-level statement's facts in order and the file's own models. */
  prepare(context: ExtractContext, facts: readonly Facts[], own: readonly ModelDeclaration[]): ChunkPass;
}

export function emptyScan(file: string, language: SourceLanguage): FileScan {
  return { file, language, sites: [], subtransactions: [], calls: [], problems: [] };
}
