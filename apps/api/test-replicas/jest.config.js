/**
 * The two-replica suite (npm run test:replicas): the built API twice on one
 * PostgreSQL behind Debian's nginx running deploy/nginx.conf (harness.ts).
 * Each test file starts its own cluster (its own database on the run's
 * PostgreSQL, replicas, nginx); files run one at a time, as each
 * cluster is three servers and a database.
 */
const api = require('../jest.config.js');

module.exports = {
  displayName: 'replicas',
  rootDir: '..',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test-replicas/**/*.test.ts'],
  // The API tests' PostgreSQL; each cluster makes a database of its own on it.
  globalSetup: api.globalSetup,
  globalTeardown: api.globalTeardown,
  moduleNameMapper: api.moduleNameMapper,
  transformIgnorePatterns: api.transformIgnorePatterns,
  transform: api.transform,
  maxWorkers: 1,
  testTimeout: 120000,
};
