'use strict';
// A command-line tool from Debian's packages that a test needs as an independent peer (gammu,
// smsd, prometheus): found on the PATH or in /usr/sbin, else installed with apt-get when we are
// root on Debian/Ubuntu; elsewhere a warning says what to install.
const { execFileSync, spawnSync } = require('child_process');

function binaryPath(binary) {
  const found = spawnSync('sh', ['-c', `command -v ${binary} || ls /usr/sbin/${binary} 2>/dev/null`], { encoding: 'utf8' });
  const path = found.stdout.trim().split('\n')[0];
  return found.status === 0 && path ? path : undefined;
}

/** The binary, installing its Debian package when possible; undefined (with a warning) when it cannot be had. */
function ensureDebianTool(binary, pkg, what) {
  const existing = binaryPath(binary);
  if (existing) return existing;
  const root = process.getuid && process.getuid() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (!root || !apt) {
    console.warn(`[setup] ${binary} not found: install it (Debian/Ubuntu: apt-get install ${pkg}) for ${what}`);
    return undefined;
  }
  console.log(`[setup] installing ${pkg} with apt-get (${what}) ...`);
  try {
    execFileSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg}`], { stdio: 'inherit' });
  } catch (err) {
    console.warn(`[setup] apt-get could not install ${pkg}: ${err.message}`);
  }
  return binaryPath(binary);
}

module.exports = { binaryPath, ensureDebianTool };
