import { readFileSync } from 'node:fs';
import { loadTestGrammars } from '../test/support/grammars.js';
import { parseSource } from '../src/core/scan/grammars.js';
void (async () => {
  await loadTestGrammars();
  const lang = process.argv[2] as 'ruby' | 'python';
  const tree = parseSource(lang, readFileSync(process.argv[3]!, 'utf8'));
  console.log(tree.rootNode.toString());
})();
