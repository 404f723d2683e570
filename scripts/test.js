'use strict';
// `npm test`: installs what is missing, starts Redis when it is not answering, then runs every
// test suite (unit/integration with jest, then the end-to-end suite in the real n8n).
const { spawnSync } = require('child_process');
const path = require('path');
const { ensureDeps, root } = require('./ensure-deps');
const { ensureRedis } = require('./ensure-redis');

function run(label, args) {
  console.log(`\n[test] ${label}: ${args.join(' ')}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env });
  return result.status === 0;
}

async function main() {
  ensureDeps();
  await ensureRedis();
  const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  const extra = process.argv.slice(2);
  let ok = run('unit and integration tests', [jest, ...extra]);
  if (!process.env.SKIP_E2E && extra.length === 0) {
    ok = run('end-to-end tests in the real n8n', [jest, '--config', 'test/e2e/jest.e2e.config.js']) && ok;
  }
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(`[test] ${err.message}`);
  process.exit(1);
});
