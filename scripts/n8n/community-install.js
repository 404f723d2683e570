'use strict';
// Installs a package tarball into an n8n user folder the way n8n's own community-package installer
// (Settings > Community Nodes > Install) does it. Read from n8n 2.40.7's
// dist/modules/community-packages/community-packages.service.js (downloadPackage):
//   1. `npm pack <name>@<version> --quiet --registry=<registry>` in <user folder>/.n8n/nodes;
//   2. `tar -xzf <tarball> -C nodes/node_modules/<name> --strip-components=1`;
//   3. devDependencies, peerDependencies and optionalDependencies removed from its package.json;
//   4. `npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
//      --ignore-scripts=true --package-lock=false --registry=<registry>` in the package's folder;
//   5. nodes/package.json ("installed-nodes") records the package and its version; the tarball goes.
// Step 1 takes our own `npm pack` output instead (the package is not on the registry yet); the
// rest is the same. test/e2e/package/n8n-installer.test.ts checks that the provisioned n8n still
// does exactly this, so a new n8n that changes it fails there, not silently here.

const fs = require('node:fs');
const path = require('node:path');
const { runCommand, npmCommand } = require('./run-command');

/** Step 4's arguments, as n8n 2.40.7 passes them (before --registry). */
const N8N_NPM_INSTALL_ARGS = [
  'install',
  '--audit=false',
  '--fund=false',
  '--bin-links=false',
  '--install-strategy=shallow',
  '--ignore-scripts=true',
  '--package-lock=false',
];

/** Step 3: the package.json fields n8n removes before installing. */
const N8N_STRIPPED_FIELDS = ['devDependencies', 'peerDependencies', 'optionalDependencies'];

/** n8n's compiled installer, relative to the n8n package folder. */
const N8N_INSTALLER_FILE = path.join('dist', 'modules', 'community-packages', 'community-packages.service.js');

/**
 * The environment n8n gives npm: its own (n8n runs with NODE_ENV=production), without what a parent
 * `npm test` or jest exported (npm_config_* would change how the inner npm installs).
 */
function n8nLikeNpmEnv(parentEnv) {
  const env = { ...parentEnv, NODE_ENV: 'production' };
  for (const key of Object.keys(env)) if (/^npm_/i.test(key) || key.startsWith('JEST_')) delete env[key];
  return env;
}

async function npmRegistry(env) {
  if (env.N8N_COMMUNITY_PACKAGES_REGISTRY) return env.N8N_COMMUNITY_PACKAGES_REGISTRY;
  const { output } = await runCommand(npmCommand, ['config', 'get', 'registry'], { env });
  return output.trim().replace(/\/+$/, '');
}

/** The package.json inside a tarball, read without unpacking it anywhere. */
async function manifestInTarball(tarball) {
  const { output } = await runCommand('tar', ['-xzOf', tarball, 'package/package.json'], { tailBytes: 1024 * 1024 });
  return JSON.parse(output);
}

/**
 * @param {{ userFolder: string, tarball: string, log?: (line: string) => void, env?: NodeJS.ProcessEnv }} options
 * @returns {Promise<{ name: string, version: string, packageDir: string, nodesDir: string, registry: string, npmArgs: string[], ms: number }>}
 */
async function installTarballLikeN8n({ userFolder, tarball, log = () => {}, env = process.env }) {
  const started = Date.now();
  const npmEnv = n8nLikeNpmEnv(env);
  const nodesDir = path.join(path.resolve(userFolder), '.n8n', 'nodes');
  const ledger = path.join(nodesDir, 'package.json');
  fs.mkdirSync(nodesDir, { recursive: true });
  if (!fs.existsSync(ledger)) {
    fs.writeFileSync(ledger, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2), 'utf-8');
  }

  const { name, version } = await manifestInTarball(tarball);
  const packageDir = path.join(nodesDir, 'node_modules', ...name.split('/'));
  fs.rmSync(packageDir, { recursive: true, force: true });
  fs.mkdirSync(packageDir, { recursive: true });
  // Where `npm pack <name>@<version>` would have left it.
  const tarballName = path.basename(tarball);
  fs.copyFileSync(tarball, path.join(nodesDir, tarballName));
  const registry = await npmRegistry(npmEnv);
  const npmArgs = [...N8N_NPM_INSTALL_ARGS, `--registry=${registry}`];
  try {
    await runCommand('tar', ['-xzf', tarballName, '-C', packageDir, '--strip-components=1'], { cwd: nodesDir });
    const manifestPath = path.join(packageDir, 'package.json');
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf-8'));
    for (const field of N8N_STRIPPED_FIELDS) delete manifest[field];
    fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2), 'utf-8');
    log(`npm ${npmArgs.join(' ')} (in ${packageDir})`);
    await runCommand(npmCommand, npmArgs, { cwd: packageDir, env: npmEnv, timeoutMs: 10 * 60 * 1000 });
    const installed = JSON.parse(fs.readFileSync(ledger, 'utf-8'));
    installed.dependencies = { ...installed.dependencies, [name]: version };
    fs.writeFileSync(ledger, JSON.stringify(installed, null, 2), 'utf-8');
  } finally {
    fs.rmSync(path.join(nodesDir, tarballName), { force: true });
  }
  return { name, version, packageDir, nodesDir, registry, npmArgs, ms: Date.now() - started };
}

module.exports = { installTarballLikeN8n, N8N_NPM_INSTALL_ARGS, N8N_STRIPPED_FIELDS, N8N_INSTALLER_FILE };
