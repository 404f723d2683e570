'use strict';
// `npm test`: installs what is missing, starts Redis when it is not answering, then runs every
// test suite (unit/integration with jest, then the end-to-end suite in the real n8n).
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ensureDeps, root } = require('./ensure-deps');
const { ensureRedis } = require('./ensure-redis');
const { ensureChromium } = require('./ensure-chromium');
const { ensureGammu, ensureSmsd } = require('./ensure-gammu');
const { ensurePrometheus } = require('./ensure-prometheus');
const { ensureTshark } = require('./ensure-tshark');

function run(label, args) {
  console.log(`\n[test] ${label}: ${args.join(' ')}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, SMS_GATEWAY_SOAK: '1' } });
  return result.status === 0;
}

async function main() {
  ensureDeps();
  await ensureRedis();
  ensureChromium();
  ensureGammu();
  ensureSmsd();
  ensurePrometheus();
  ensureTshark();
  const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  const extra = process.argv.slice(2);
  const out = path.join(root, 'test-output');
  fs.mkdirSync(out, { recursive: true });
  const suites = [['unit and integration tests', [...extra], 'jest-unit.json']];
  if (!process.env.SKIP_SOAK && extra.length === 0) {
    // The 1,000,000-recipient memory soak (about 90 s): its own run, outside the default pattern.
    suites.push(['soak tests', ['--testPathIgnorePatterns', '/node_modules/', '--testMatch', '**/*.soak.test.ts'], 'jest-soak.json']);
  }
  if (!process.env.SKIP_E2E && extra.length === 0) {
    suites.push(['end-to-end tests in the real n8n', ['--config', 'test/e2e/jest.e2e.config.js'], 'jest-e2e.json']);
  }
  let ok = true;
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const [label, args, report] of suites) {
    const file = path.join(out, report);
    fs.rmSync(file, { force: true });
    ok = run(label, [jest, ...args, '--json', `--outputFile=${file}`]) && ok;
    if (fs.existsSync(file)) {
      const r = JSON.parse(fs.readFileSync(file, 'utf8'));
      totals.passed += r.numPassedTests;
      totals.failed += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
      totals.skipped += r.numPendingTests + (r.numTodoTests || 0);
    } else {
      totals.failed += 1; // the runner itself failed before reporting
    }
  }
  // One closing line for everything that ran, in the plain form CI reads.
  console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(ok && totals.failed === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(`[test] ${err.message}`);
  process.exit(1);
});
