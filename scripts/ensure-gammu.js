'use strict';
// The modem simulator is checked by an AT client we did not write: gammu, from Debian's
// packages. Installs it with apt-get when it is missing and we are root on Debian/Ubuntu;
// elsewhere says what to install (the check is then skipped with that message).
const { execFileSync, spawnSync } = require('child_process');

function gammuPath() {
  const found = spawnSync('sh', ['-c', 'command -v gammu'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** The gammu binary, installing it when possible; undefined (with a warning) when it cannot be had. */
function ensureGammu() {
  const existing = gammuPath();
  if (existing) return existing;
  const root = process.getuid && process.getuid() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (!root || !apt) {
    console.warn('[setup] gammu not found: install it (Debian/Ubuntu: apt-get install gammu) for the independent AT client check of the modem simulator');
    return undefined;
  }
  console.log('[setup] installing gammu with apt-get (the independent AT client for the modem simulator check) ...');
  try {
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gammu'], { stdio: 'inherit' });
  } catch (err) {
    console.warn(`[setup] apt-get could not install gammu: ${err.message}`);
  }
  return gammuPath();
}

module.exports = { ensureGammu };
if (require.main === module) ensureGammu();
