import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [
  // Tooling and tests are not part of the published package.
  { ignores: ['dist/**', 'test/**', 'bench/**', 'scripts/**', 'coverage/**', 'jest.config.js', 'eslint.config.mjs'] },
  ...configWithoutCloudSupport,
  {
    rules: {
      // This package needs runtime dependencies (smpp, bottleneck, otplib, libphonenumber-js,
      // serialport, ioredis, ...): an SMS gateway cannot be written on n8n-workflow alone. That
      // rules out n8n Cloud and the "verified" list, which is why the Cloud-less config is used.
      '@n8n/community-nodes/no-runtime-dependencies': 'off',
    },
  },
  {
    // The sandbox's command-line entry prints its URLs for the person who started it.
    files: ['src/sandbox/cli.ts'],
    rules: { 'no-console': 'off' },
  },
];
