/** Registers every language extractor once (kept apart from the registry so tests can pick their own). */
import { registerExtractor } from './registry.js';

let registered = false;

export function registerLanguageExtractors(): void {
  if (registered) return;
  registered = true;
  // Language extractors are added here as they land (python, ruby, go, javascript/typescript).
  void registerExtractor;
}
