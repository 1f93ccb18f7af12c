/** The language extractors the scanner uses, one per language family (each lives in its own folder). */
import type { LanguageExtractor } from '../extractor.js';
import { goExtractor } from './go/index.js';
import { javascriptExtractor } from './javascript/index.js';
import { pythonExtractor } from './python/index.js';
import { rubyExtractor } from './ruby/index.js';

export const LANGUAGE_EXTRACTORS: readonly LanguageExtractor[] = [pythonExtractor, rubyExtractor, javascriptExtractor, goExtractor];
