/** Jest runs TypeScript through ts-jest; every test talks to real parts (sandbox SMSC over TCP, Redis). */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // e2e (real n8n) and soak tests have their own runs in scripts/test.js.
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '\\.soak\\.test\\.ts$'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  testTimeout: 60000,
  maxWorkers: 2,
};
