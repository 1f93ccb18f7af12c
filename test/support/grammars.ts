/** Tests load web-tree-sitter and the grammars exactly as the CLI does (from node_modules when not bundled). */
export { loadGrammarFiles as loadTestGrammars } from '../../src/db/grammar-files.js';
