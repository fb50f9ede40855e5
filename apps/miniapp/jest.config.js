// Unit tests of the mini-program's logic. Taro's own test utils do not work with
// Taro 4, so `@tarojs/taro` and `@tarojs/components` are replaced by small fakes of
// the platform in test/stubs; our own modules are never mocked.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'miniapp',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts?(x)'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2020',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^@tarojs/taro$': '<rootDir>/test/stubs/taro.ts',
    '^@tarojs/components$': '<rootDir>/test/stubs/components.tsx',
    '^@jobbridge/shared$': '<rootDir>/../../packages/shared/src',
    '\\.(css|scss)$': '<rootDir>/test/stubs/style.ts',
  },
};
