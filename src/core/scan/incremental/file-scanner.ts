/**
 * One file kept parsed between its versions (an editor's document being typed in): each new text is an edit of the
 * last, parsed incrementally (tree-sitter reuses the untouched subtrees), and for a statement-by-statement extractor
 * (Python) each top-level statement's scan is kept by its text: while the file's context is unchanged (every
 * statement's facts, the text-wide flags, the file's own models and the workspace's models), only the statements
 * whose text changed are read again; the others are reused as they are, or moved by whole lines.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { ChunkedExtraction, ChunkScan, ExtractContext, LanguageExtractor } from '../extractor.js';
import { emptyScan } from '../extractor.js';
import { parseSource, type GrammarName } from '../grammars.js';
import { LANGUAGE_EXTRACTORS } from '../lang/index.js';
import { languageForFile } from '../languages.js';
import type { ModelDeclaration, ModelIndex } from '../models.js';
import { AT_START, refusal, scannerError, scanParsed, withSyntaxProblem } from '../registry.js';
import type { FileScan, SourceLanguage } from '../types.js';
import { assembleScan } from './assemble.js';
import { shiftChunk } from './shift.js';
import { textEdit } from './text-edit.js';

interface KeptFacts {
  facts: unknown;
  json: string;
}

/** The file's context: a statement's kept scan is valid while every part of it is unchanged. */
interface ContextKey {
  flags: string;
  own: string;
  facts: readonly string[];
  models: ModelIndex | undefined;
}

const sameContext = (a: ContextKey | undefined, b: ContextKey): boolean =>
  a !== undefined &&
  a.models === b.models &&
  a.flags === b.flags &&
  a.own === b.own &&
  a.facts.length === b.facts.length &&
  a.facts.every((json, i) => json === b.facts[i]);

export class FileScanner {
  private text: string | undefined;
  private tree: Tree | undefined;
  private refused: string | undefined;
  private readonly language: SourceLanguage | undefined;
  private readonly extractor: LanguageExtractor | undefined;
  /** Per statement key: its facts, and its scan with the row it started at when read. */
  private facts = new Map<string, KeptFacts>();
  private scans = new Map<string, { row: number; scan: ChunkScan }>();
  private context: ContextKey | undefined;
  private own: { key: string; models: ModelDeclaration[] } | undefined;
  /** The current tree's top-level statements and their facts, read once per tree. */
  private current: { statements: Node[]; facts: KeptFacts[] } | undefined;

  constructor(
    readonly file: string,
    extractors: readonly LanguageExtractor[] = LANGUAGE_EXTRACTORS,
  ) {
    const language = languageForFile(file);
    this.language = language === 'sql' ? undefined : language;
    this.extractor =
      this.language === undefined ? undefined : extractors.find((e) => e.languages.includes(this.language as SourceLanguage));
  }

  /** Does this scanner read the file (a language with a tree-sitter extractor)? Others go through the registry. */
  get handles(): boolean {
    return this.extractor !== undefined;
  }

  /** Takes the file's new text: an edit of the kept tree when there is one. */
  update(text: string): void {
    if (text === this.text || this.language === undefined) return;
    this.refused = refusal(text);
    if (this.refused !== undefined) {
      this.dispose();
      this.text = text;
      return;
    }
    const edit = this.tree === undefined || this.text === undefined ? undefined : textEdit(this.text, text);
    if (edit !== undefined) this.tree?.edit(edit);
    const next = parseSource(this.language as GrammarName, text, edit === undefined ? undefined : this.tree);
    this.tree?.delete();
    this.tree = next;
    this.text = text;
    this.current = undefined;
  }

  private contextOf(models?: ModelIndex): ExtractContext | undefined {
    if (this.tree === undefined || this.text === undefined || this.language === undefined) return undefined;
    return { file: this.file, text: this.text, language: this.language, tree: this.tree, ...(models === undefined ? {} : { models }) };
  }

  /** The models the file declares (the registry's declareModels, from the kept tree). */
  declareModels(): ModelDeclaration[] {
    const context = this.contextOf();
    const extractor = this.extractor;
    if (context === undefined || extractor?.declareModels === undefined || extractor.declaresModelsIn?.test(context.text) === false)
      return [];
    try {
      return this.ownModels(context, extractor);
    } catch {
      return []; // the scan reports the file's problem
    }
  }

  /** The file's own models, read again only when a statement that declares a class or the file's context changed. */
  private ownModels(context: ExtractContext, extractor: LanguageExtractor): ModelDeclaration[] {
    const declare = extractor.declareModels;
    if (declare === undefined) return [];
    const chunked = extractor.chunked;
    if (chunked === undefined) return declare(context);
    const { statements, facts } = this.statementsOf(chunked, context.tree);
    const key = [
      chunked.textFlags(context.text),
      ...facts.map((f) => f.json),
      ...statements.filter((_, i) => chunked.declaresModels(facts[i]?.facts)).map((s) => s.text),
    ].join('\n');
    if (this.own?.key !== key) this.own = { key, models: declare(context) };
    return this.own.models;
  }

  private statementsOf(chunked: ChunkedExtraction<unknown>, tree: Tree): { statements: Node[]; facts: KeptFacts[] } {
    if (this.current === undefined) {
      const statements = topLevel(tree);
      this.current = { statements, facts: this.factsOf(chunked, statements) };
    }
    return this.current;
  }

  private factsOf(chunked: ChunkedExtraction<unknown>, statements: readonly Node[]): KeptFacts[] {
    const next = new Map<string, KeptFacts>();
    const out = statements.map((statement, index) => {
      const key = statementKey(statement, index);
      let kept = this.facts.get(key) ?? next.get(key);
      if (kept === undefined) {
        const facts = chunked.facts(statement);
        kept = { facts, json: JSON.stringify(facts) };
      }
      next.set(key, kept);
      return kept;
    });
    this.facts = next;
    return out;
  }

  /** The file's scan against the workspace's models, reading again only the statements that changed. */
  scan(models?: ModelIndex): FileScan | undefined {
    if (this.language === undefined || this.extractor === undefined) return undefined;
    if (this.refused !== undefined) {
      const scan = emptyScan(this.file, this.language);
      scan.problems.push({ range: AT_START, message: this.refused });
      return scan;
    }
    const context = this.contextOf(models);
    if (context === undefined) return undefined;
    const chunked = this.extractor.chunked;
    if (chunked === undefined) return scanParsed(context, this.extractor);
    try {
      const { statements, facts } = this.statementsOf(chunked, context.tree);
      const own = this.ownModels(context, this.extractor);
      const key: ContextKey = { flags: chunked.textFlags(context.text), own: JSON.stringify(own), facts: facts.map((f) => f.json), models };
      if (!sameContext(this.context, key)) this.scans.clear();
      this.context = key;
      const pass = chunked.prepare(
        context,
        facts.map((f) => f.facts),
        own,
      );
      const next = new Map<string, { row: number; scan: ChunkScan }>();
      const scans = statements.map((statement, index) => {
        const key = statementKey(statement, index);
        const row = statement.startPosition.row;
        const kept = this.scans.get(key);
        const scan = kept === undefined ? pass.extract(statement) : shiftChunk(kept.scan, row - kept.row);
        next.set(key, { row, scan });
        return scan;
      });
      this.scans = next;
      return withSyntaxProblem(assembleScan(this.file, this.language, pass, scans), context.tree);
    } catch (error) {
      this.scans.clear();
      return scannerError(this.file, this.language, error);
    }
  }

  /** Frees the kept tree (WASM memory) and everything read from it. */
  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
    this.text = undefined;
    this.facts.clear();
    this.scans.clear();
    this.context = undefined;
    this.own = undefined;
    this.current = undefined;
  }
}

function topLevel(tree: Tree): Node[] {
  return tree.rootNode.namedChildren.filter((c): c is Node => c !== null);
}

/**
 * A statement's identity across versions: its place among the top-level statements, its start column, its text and
 * whether it parsed cleanly. Equal keys in an equal context read the same, up to the row they start at.
 */
function statementKey(statement: Node, index: number): string {
  return `${index}\u0000${statement.startPosition.column}\u0000${statement.type}\u0000${statement.hasError}\u0000${statement.text}`;
}
