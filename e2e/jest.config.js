/**
 * Browser tests: the built API (with its embedded PostgreSQL and demo seed,
 * exactly as `npm start` runs it) serving the built H5 app, driven in Debian's
 * Chromium by playwright-core. Run with `npm run test:e2e` (needs /usr/bin/chromium).
 */
module.exports = {
  displayName: 'e2e',
  rootDir: '..',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/e2e/**/*.e2e.test.ts'],
  globalSetup: '<rootDir>/e2e/global-setup.ts',
  globalTeardown: '<rootDir>/e2e/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 1,
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
};
