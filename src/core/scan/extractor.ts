/** The contract each language extractor implements, and the helpers they share. */
import type { Tree } from 'web-tree-sitter';
import type { ModelDeclaration, ModelIndex } from './models.js';
import type { FileScan, SourceLanguage } from './types.js';

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
}

export function emptyScan(file: string, language: SourceLanguage): FileScan {
  return { file, language, sites: [], subtransactions: [], calls: [], problems: [] };
}
