// Lint rules for every package and script: the recommended sets, plus the few rules that
// catch the mistakes this codebase is prone to (floating promises in CLI code, stray `any`).
// The TypeScript sources are linted with their types (each package's tsconfig.json), which
// `no-floating-promises` needs.
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
  {
    files: ['packages/*/src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  // @mmstats/format's own tsconfig.json leaves its tests out (they see Node's types; the library must not).
  {
    files: ['packages/format/src/**/*.test.ts'],
    languageOptions: { parserOptions: { projectService: false, project: './packages/format/tsconfig.test.json', tsconfigRootDir: import.meta.dirname } },
  },
  // Plain scripts run by Node: benchmarks, generators, examples.
  { files: ['**/*.mjs', '**/*.cjs'], languageOptions: { globals: globals.node } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // The dashboard's own browser code, served as is by mmash.
  { files: ['packages/mmash/assets/**/*.js'], languageOptions: { globals: globals.browser } },
);
