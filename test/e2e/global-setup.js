'use strict';
// Builds the package once before the e2e files run: n8n loads our nodes from dist/, as it does
// from a user's install. Set SMS_GATEWAY_E2E_SKIP_BUILD=1 to test dist/ as it is, or
// SMS_GATEWAY_E2E_PACKAGE_DIR to test another built copy (e.g. an unpacked `npm pack`).
// Then provisions n8n here, where no test timeout applies: on a cold cache (a fresh machine) it
// took 332 s (npm install 235 s, the sqlite addon 92 s), past a test file's 5-minute hook limit.

const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { ensureN8n } = require('../../scripts/n8n/provision');

module.exports = async function prepareE2e() {
  buildPackage();
  const started = Date.now();
  await ensureN8n({ log: (line) => process.stderr.write(`[e2e] ${line}\n`) });
  process.stderr.write(`[e2e] n8n provisioned (or found in the cache) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
};

function buildPackage() {
  if (process.env.SMS_GATEWAY_E2E_SKIP_BUILD === '1' || process.env.SMS_GATEWAY_E2E_PACKAGE_DIR) return;
  const root = path.resolve(__dirname, '..', '..');
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build', '--silent'], {
    cwd: root,
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    const output = `${result.stdout || ''}\n${result.stderr || ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`e2e: "npm run build" failed (exit ${result.status}), so n8n cannot load dist/:\n${output}`);
  }
  process.stderr.write(`\n[e2e] package built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
