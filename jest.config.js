/** One jest run over every workspace; each project has its own config beside its code. */
module.exports = {
  // API tests start servers and hash passwords; this is a ceiling, not a speed target.
  testTimeout: 30000,
  projects: ['<rootDir>/packages/shared', '<rootDir>/packages/matching', '<rootDir>/apps/api', '<rootDir>/apps/miniapp'],
};
