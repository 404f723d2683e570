/**
 * End-to-end tests in the real n8n (provisioned into a cache folder by scripts/n8n/provision.js).
 * Run: npx jest --config test/e2e/jest.e2e.config.js
 * They run one file at a time: each file starts its own n8n (about 400 MB and a core while it boots).
 */
module.exports = {
  rootDir: '../..',
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  // *.e2e.test.ts boot n8n; the other tests here check the scripts that provision and drive it.
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true, diagnostics: false }],
  },
  globalSetup: '<rootDir>/test/e2e/global-setup.js',
  // Provisioning on a cold cache takes minutes; each test sets its own bound on top of this.
  testTimeout: 5 * 60 * 1000,
  maxWorkers: 1,
};
