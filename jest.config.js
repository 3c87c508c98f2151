/** Tests run the TypeScript sources through ts-jest; the simulator they talk to runs from dist/ in its own process. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.e2e\\.test\\.ts$'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  testTimeout: 30000,
  // The secret-leak scan: a canary per run, captures during the tests, the scan at the end.
  globalSetup: '<rootDir>/test/leak/global-setup.js',
  setupFilesAfterEnv: ['<rootDir>/test/leak/capture.ts'],
  globalTeardown: '<rootDir>/test/leak/global-teardown.js',
  // Two cores: more workers than that only adds contention with the simulator processes.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
