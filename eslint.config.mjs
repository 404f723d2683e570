import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';
import { layerRules } from './eslint.layers.mjs';

export default [
  // Tooling and tests are not part of the published package.
  { ignores: ['dist/**', 'test/**', 'bench/**', 'scripts/**', 'coverage/**', 'jest.config.js', 'eslint.config.mjs', 'eslint.layers.mjs'] },
  ...configWithoutCloudSupport,
  {
    rules: {
      // This package needs runtime dependencies (smpp, serialport, ioredis, libphonenumber-js,
      // @otplib/*, ...; test/packaging/runtime-dependencies.test.ts keeps them exact): an SMS
      // gateway cannot be written on n8n-workflow alone. That rules out n8n Cloud and the
      // "verified" list, which is why the Cloud-less config is used.
      '@n8n/community-nodes/no-runtime-dependencies': 'off',
    },
  },
  {
    // src/ is the n8n-independent core (transport, encoding, OTP, sandbox...): it never sees an
    // n8n node, so it throws its own typed errors (SmsRequestError, SmppBindError, FieldError...)
    // and rethrows what it does not handle. The nodes convert those to NodeOperationError or
    // NodeApiError at their boundary (execute/trigger), where this rule stays on.
    files: ['src/**/*.ts'],
    rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
  },
  {
    // Command-line entries (the package bin, the sandbox SMSC and the GSM modem simulator) print their URLs and
    // paths for the person who started them; they are never loaded by a node.
    files: ['src/cli/main.ts', 'src/sandbox/cli.ts', 'src/transport/modem/simulator/cli.ts'],
    rules: { 'no-console': 'off' },
  },
  // Which folder may import which: src/ never imports n8n or nodes/, no import cycles.
  ...layerRules,
];
