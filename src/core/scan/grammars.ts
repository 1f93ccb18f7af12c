/**
 * web-tree-sitter and its language grammars, loaded once (the one async step core allows). The caller supplies the
 * bytes, so core reads no files: the CLI and the extension read them from dist/ or node_modules.
 */
import { Language, Parser, type Tree } from 'web-tree-sitter';
import type { SourceLanguage } from './types.js';

export type GrammarName = Exclude<SourceLanguage, 'sql'>;

/** Grammar file per language, as shipped by the grammar packages (copied to dist/grammars/ by the build). */
export const GRAMMAR_FILES: Record<GrammarName, string> = {
  python: 'tree-sitter-python.wasm',
  ruby: 'tree-sitter-ruby.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  go: 'tree-sitter-go.wasm',
};

export interface GrammarSource {
  /** tree-sitter.wasm, web-tree-sitter's own runtime. */
  runtime: () => Promise<Uint8Array>;
  grammar: (file: string) => Promise<Uint8Array>;
}

const languages = new Map<GrammarName, Language>();
let initialised: Promise<void> | undefined;

export function loadGrammars(source: GrammarSource): Promise<void> {
  initialised ??= (async () => {
    const wasmBinary = await source.runtime();
    await Parser.init({ wasmBinary });
    for (const [name, file] of Object.entries(GRAMMAR_FILES) as Array<[GrammarName, string]>) {
      languages.set(name, await Language.load(await source.grammar(file)));
    }
  })();
  return initialised;
}

export function languageOf(name: GrammarName): Language {
  const language = languages.get(name);
  if (language === undefined) throw new Error('Grammars are not loaded: await loadGrammars(…) once at start-up.');
  return language;
}

const parsers = new Map<GrammarName, Parser>();

/**
 * Parses source text; the caller must `tree.delete()` when done (WASM memory). With `oldTree` (already `edit()`ed to
 * the change), tree-sitter reuses every subtree the edit did not touch.
 */
export function parseSource(name: GrammarName, text: string, oldTree?: Tree): Tree {
  let parser = parsers.get(name);
  if (parser === undefined) {
    parser = new Parser();
    parser.setLanguage(languageOf(name));
    parsers.set(name, parser);
  }
  const tree = parser.parse(text, oldTree);
  if (tree === null) throw new Error(`tree-sitter could not parse the ${name} source`);
  return tree;
}
