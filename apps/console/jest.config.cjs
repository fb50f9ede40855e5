// Unit tests of the console's plain functions (formatting, what a page derives from an API answer);
// the pages themselves are tested in a browser against the real API (e2e/console-*.e2e.test.ts).
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'console',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2020' }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper: { '^@jobbridge/shared$': '<rootDir>/../../packages/shared/src' },
};
