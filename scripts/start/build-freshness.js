'use strict';
// Decides whether `npm start` must run `npm run build`: dist/ is stale when a source file is newer
// than the build's output, or when a file n8n loads is missing. Plain Node: runs before the build.

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

// What the TypeScript build and scripts/copy-assets.js read.
const SOURCE_ROOTS = ['index.ts', 'src', 'nodes', 'credentials', 'bench', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/copy-assets.js'];

/** Newest modification time (ms) of a file or of every file below a folder; 0 when absent. */
function newestMtime(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/** The built files n8n and the demo load: the package's declared nodes and credentials, and the sandbox. */
function requiredOutputs(root) {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const n8n = manifest.n8n || {};
  return [...(n8n.nodes || []), ...(n8n.credentials || []), 'dist/src/sandbox/cli.js'].map((file) => path.join(root, file));
}

/**
 * @param {string} root the project folder
 * @returns {{ fresh: boolean, reason: string }}
 */
function buildFreshness(root) {
  const outputs = requiredOutputs(root);
  const missing = outputs.find((file) => !fs.existsSync(file));
  if (missing) return { fresh: false, reason: `${path.relative(root, missing)} is missing` };
  // tsc rewrites every output, so the oldest required output tells when the last build ran.
  const builtAt = Math.min(...outputs.map((file) => fs.statSync(file).mtimeMs));
  const changedAt = Math.max(...SOURCE_ROOTS.map((entry) => newestMtime(path.join(root, entry))));
  if (changedAt > builtAt) return { fresh: false, reason: 'sources changed since the last build' };
  return { fresh: true, reason: 'dist/ is newer than every source file' };
}

/** Runs `npm run build` unless dist/ is fresh; returns whether it built. */
function buildIfStale(root, log) {
  const { fresh, reason } = buildFreshness(root);
  if (fresh) {
    log(`build skipped: ${reason}`);
    return false;
  }
  log(`building the package (${reason}) ...`);
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

module.exports = { buildFreshness, buildIfStale };
