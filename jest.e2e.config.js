/** End-to-end tests: real n8n, real Node-RED from their CLIs, Chromium. Slower; `npm run test:e2e`. */
const base = require('./jest.config');
module.exports = {
  ...base,
  testMatch: ['**/e2e/**/*.e2e.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300000,
  maxWorkers: 1,
};
