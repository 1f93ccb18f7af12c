/** The contract each language extractor implements, and the helpers they share. */
import type { Tree } from 'web-tree-sitter';
import type { FileScan, SourceLanguage } from './types.js';

export interface ExtractContext {
  file: string;
  text: string;
  language: SourceLanguage;
  tree: Tree;
}

/** One per language (or family): finds query sites, subtransactions and local calls in one parsed file. */
export interface LanguageExtractor {
  languages: readonly SourceLanguage[];
  extract(context: ExtractContext): FileScan;
}

export function emptyScan(file: string, language: SourceLanguage): FileScan {
  return { file, language, sites: [], subtransactions: [], calls: [], problems: [] };
}
