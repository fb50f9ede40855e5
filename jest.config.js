const os = require('node:os');

/** One jest run over every workspace; each project has its own config beside its code. */
module.exports = {
  // API tests start servers and hash passwords, two files at once on two cores: a ceiling, not a speed target.
  testTimeout: 120000,
  // At least two test files at once, also on a 2-core CI box (jest's default there, cores - 1, is one,
  // which runs the files one after another and hides tests that depend on other files' data).
  maxWorkers: Math.max(2, (os.availableParallelism?.() ?? os.cpus().length) - 1),
  projects: ['<rootDir>/packages/shared', '<rootDir>/packages/matching', '<rootDir>/apps/api', '<rootDir>/apps/miniapp', '<rootDir>/apps/console'],
};
