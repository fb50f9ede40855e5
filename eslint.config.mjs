// `npm run lint`: eslint's and typescript-eslint's recommended rules over the
// TypeScript of every workspace, the tests and the e2e suite (no type-aware
// rules, so it stays fast). Unused locals and parameters are errors here
// (a leading `_` marks one kept on purpose).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.swc/**', 'docs/**', '**/*.d.ts'] },
  { files: ['**/*.{ts,tsx}'], extends: [js.configs.recommended, ...tseslint.configs.recommended] },
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Raw SQL rows are `Record<string, any>` until their view function types them.
      '@typescript-eslint/no-explicit-any': 'off',
      // Chinese text indents with the full-width space.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipJSXText: true, skipTemplates: true }],
    },
  },
  // Tests load some modules with require() on purpose (a fresh copy after jest.resetModules, a JSON config).
  { files: ['**/test/**/*.ts', '**/*.test.ts'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
