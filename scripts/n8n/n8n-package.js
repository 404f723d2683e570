'use strict';
// Installs the n8n package itself into the cache folder. npm runs in a staging folder that is
// renamed into place only after the install succeeded, so an interrupted attempt (a download cut
// half-way, a killed CI job) never leaves a tree that looks finished.

const fs = require('node:fs');
const path = require('node:path');
const { runCommand, seconds, npmEnvOutsideProject, npmCommand } = require('./run-command');
const { readMatchingMarker, writeMarker } = require('./ready-marker');

const N8N_VERSION = '2.40.7';

function n8nPaths(cacheDir) {
  const appDir = path.join(cacheDir, 'n8n-app');
  const packageDir = path.join(appDir, 'node_modules', 'n8n');
  return {
    appDir,
    stagingDir: path.join(cacheDir, 'n8n-app.partial'),
    packageDir,
    n8nBin: path.join(packageDir, 'bin', 'n8n'),
    markerPath: path.join(cacheDir, 'n8n-app.ready.json'),
  };
}

/**
 * @param {{ cacheDir: string, log: (line: string) => void }} options
 * @returns {Promise<{ appDir: string, packageDir: string, n8nBin: string, installedNow: boolean }>}
 */
async function ensureN8nPackage({ cacheDir, log }) {
  const paths = n8nPaths(cacheDir);
  if (readMatchingMarker(paths.markerPath, { version: N8N_VERSION }) && fs.existsSync(paths.n8nBin)) {
    return { appDir: paths.appDir, packageDir: paths.packageDir, n8nBin: paths.n8nBin, installedNow: false };
  }

  // No marker: whatever is there is a leftover of an attempt that did not finish.
  for (const leftover of [paths.stagingDir, paths.appDir]) {
    if (fs.existsSync(leftover)) {
      log(`removing the unfinished earlier attempt ${leftover}`);
      fs.rmSync(leftover, { recursive: true, force: true });
    }
  }
  fs.mkdirSync(paths.stagingDir, { recursive: true });
  fs.writeFileSync(path.join(paths.stagingDir, 'package.json'), JSON.stringify({ name: 'sms-gateway-n8n-app', private: true }, null, 2));

  log(`installing n8n@${N8N_VERSION} (about 2.8 GB; several minutes on the first run)`);
  let lastProgress = Date.now();
  const install = await runCommand(
    npmCommand,
    // Install scripts stay off as in the project (.npmrc); the one native addon n8n needs at
    // start (sqlite3) is built separately against the Node that runs n8n.
    ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', paths.stagingDir, `n8n@${N8N_VERSION}`],
    {
      cwd: paths.stagingDir,
      env: npmEnvOutsideProject(process.env),
      onLine: () => {
        if (Date.now() - lastProgress > 30000) {
          lastProgress = Date.now();
          log('  npm is still installing n8n ...');
        }
      },
    },
  );
  log(`npm install of n8n took ${seconds(install.ms)}`);

  fs.renameSync(paths.stagingDir, paths.appDir);
  if (!fs.existsSync(paths.n8nBin)) {
    throw new Error(`npm finished but ${paths.n8nBin} is missing; last npm output:\n${install.output}`);
  }
  writeMarker(paths.markerPath, { version: N8N_VERSION });
  return { appDir: paths.appDir, packageDir: paths.packageDir, n8nBin: paths.n8nBin, installedNow: true };
}

module.exports = { ensureN8nPackage, n8nPaths, N8N_VERSION };
