// ESLint for the project's own TypeScript (npm run lint, part of npm test). Layering between src/ layers is checked by
// test/unit/layering.test.ts; the rules here add the direction of imports inside core (predict ↛ scan/rules,
// sql ↛ predict/scan/rules, scan ↛ predict/rules) and the usual correctness checks.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ['error', { patterns: patterns.map(([group, message]) => ({ group, message })) }];

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', '.cache/', '.test-run/', 'bench/results/', 'examples/', 'test/fixtures/', 'test/vscode/fixtures/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['src/core/predict/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        [
          ['**/scan/**', '**/rules/**', '**/analyze/**', '**/lint/**', '**/present/**'],
          'the predictor is below scan, rules and presenters',
        ],
      ]),
    },
  },
  {
    files: ['src/core/sql/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        [
          ['**/predict/**', '**/scan/**', '**/rules/**', '**/analyze/**', '**/lint/**', '**/present/**'],
          'the SQL layer is the bottom of core',
        ],
      ]),
    },
  },
  {
    files: ['src/core/scan/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        [
          ['**/predict/**', '**/rules/**', '**/analyze/**', '**/lint/**', '**/present/**'],
          'scanners find sites; prediction and rules come after',
        ],
      ]),
    },
  },
  {
    files: ['src/core/analyze/**/*.ts', 'src/core/rules/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([[['**/lint/**', '**/present/**'], 'lint() calls analysis and rules, presenters show its result']]),
    },
  },
  {
    files: ['src/core/lint/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([[['**/present/**'], 'presenters show what lint() returns']]) },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
  },
);
