'use strict';
// Prepares an n8n user folder: links our package in the way a user's install places it, and
// writes the encryption key before any process starts, so a queue-mode main and its worker that
// share the folder never race to create two different keys.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

/** `<userFolder>/.n8n`, where n8n keeps its config, SQLite file and community packages. */
function n8nFolderOf(userFolder) {
  return path.join(userFolder, '.n8n');
}

function readPackageName(packageDir) {
  const manifestPath = path.join(packageDir, 'package.json');
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    throw new Error(`packageDir "${packageDir}" has no readable package.json: ${error.message}`);
  }
  if (typeof manifest.name !== 'string' || !/^(@[^/]+\/)?n8n-nodes-/.test(manifest.name)) {
    // n8n only scans node_modules/n8n-nodes-* and node_modules/@scope/n8n-nodes-*.
    throw new Error(`package name "${manifest.name}" in ${manifestPath} must start with "n8n-nodes-" for n8n to load it`);
  }
  return manifest.name;
}

/**
 * Links `packageDir` as `<userFolder>/.n8n/nodes/node_modules/<package name>`. An existing link is
 * replaced; a real folder there (an install through n8n's UI) is left alone and reported.
 * @returns {string} the link's path
 */
function linkPackage(userFolder, packageDir) {
  const target = path.resolve(packageDir);
  const packageName = readPackageName(target);
  const linkPath = path.join(n8nFolderOf(userFolder), 'nodes', 'node_modules', ...packageName.split('/'));
  fs.mkdirSync(path.dirname(linkPath), { recursive: true });
  let existing = null;
  try {
    existing = fs.lstatSync(linkPath);
  } catch {
    // nothing there yet
  }
  if (existing && !existing.isSymbolicLink()) {
    throw new Error(`${linkPath} exists and is not a link; remove it to load the package from ${target}`);
  }
  if (existing && path.resolve(path.dirname(linkPath), fs.readlinkSync(linkPath)) === target) return linkPath;
  if (existing) fs.rmSync(linkPath);
  // 'junction' makes the link work without admin rights on Windows; ignored elsewhere.
  fs.symlinkSync(target, linkPath, 'junction');
  return linkPath;
}

/** Writes `<userFolder>/.n8n/config` with a fresh encryption key unless it exists. */
function ensureEncryptionKey(userFolder) {
  const settingsFile = path.join(n8nFolderOf(userFolder), 'config');
  if (fs.existsSync(settingsFile)) return;
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  const settings = { encryptionKey: crypto.randomBytes(24).toString('base64') };
  try {
    fs.writeFileSync(settingsFile, JSON.stringify(settings, null, '\t'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
  }
}

/**
 * @param {{ userFolder: string, packageDir?: string }} options
 * @returns {{ n8nFolder: string, packageLink: string | null }}
 */
function prepareUserFolder({ userFolder, packageDir }) {
  fs.mkdirSync(n8nFolderOf(userFolder), { recursive: true });
  ensureEncryptionKey(userFolder);
  const packageLink = packageDir ? linkPackage(userFolder, packageDir) : null;
  return { n8nFolder: n8nFolderOf(userFolder), packageLink };
}

module.exports = { prepareUserFolder, n8nFolderOf, readPackageName };
