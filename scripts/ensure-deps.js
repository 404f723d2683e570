'use strict';
// Installs the project's npm dependencies when they are missing or older than the lock file.
// Plain Node (no dependencies): it runs before anything is installed on a fresh clone.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

function ensureDeps() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  const fresh = fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs;
  if (fresh) return;
  console.log('[setup] installing npm dependencies (npm ci) ...');
  const started = Date.now();
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  console.log(`[setup] dependencies installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

module.exports = { ensureDeps, root };
if (require.main === module) ensureDeps();
