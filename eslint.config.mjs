import js from '@eslint/js';
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';
import globals from 'globals';
import { layerRules } from './eslint.layers.mjs';

/** n8n's rules for node packages (descriptions, credentials, NodeApiError...): not for tests and tools. */
const n8nNodeRulesOff = Object.fromEntries(
  configWithoutCloudSupport
    .flatMap((block) => Object.keys(block.rules ?? {}))
    .filter((rule) => rule.startsWith('@n8n/community-nodes/') || rule.startsWith('n8n-nodes-base/'))
    .map((rule) => [rule, 'off']),
);

export default [
  { ignores: ['dist/**', 'coverage/**', 'prof/**', 'test-output/**'] },
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
  {
    // Tests, benchmarks and scripts are not published, but the same TypeScript rules and import
    // layers hold there, without n8n's node-package rules. Benchmarks and scripts print their
    // results; tests and benchmarks require() built files and child-process entry points by path.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      ...n8nNodeRulesOff,
      'no-console': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      // fast-check, ioredis and qrcode are used through their default export on purpose.
      'import-x/no-named-as-default-member': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
      // `let x!: T` read by a callback written before the assignment is a common test pattern.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Plain Node scripts (CommonJS): npm start / npm test plumbing, n8n provisioning, child
    // processes of tests, jest configs.
    files: ['**/*.js'],
    ...js.configs.recommended,
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    // The sandbox's phone inbox page: ES modules in the browser.
    files: ['src/sandbox/http/static/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser } },
  },
  {
    files: ['**/*.mjs'],
    ...js.configs.recommended,
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
];
