/**
 * API tests go through HTTP (app.inject) into a real PostgreSQL: global-setup
 * starts an embedded one in a temporary folder (or uses DATABASE_URL) and
 * migrates it once; every test file builds its own app on it.
 */
module.exports = {
  displayName: 'api',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  moduleNameMapper: { '^@jobbridge/shared$': '<rootDir>/../../packages/shared/src', '^@jobbridge/matching$': '<rootDir>/../../packages/matching/src' },
  // typebox ships ESM only; jest on Node 20 needs it compiled to CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!typebox/)'],
  transform: {
    '^.+\\.(ts|js|mjs)$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
};
