'use strict';
// The phone inbox page is tested in headless Chromium (Debian's package, driven by
// playwright-core). Installs it with apt-get when it is missing and we are root on Debian/Ubuntu;
// elsewhere says what to install.
const fs = require('fs');
const { execFileSync, spawnSync } = require('child_process');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return true;
  const root = process.getuid && process.getuid() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (!root || !apt) {
    console.warn(`[setup] ${CHROMIUM} not found: install Chromium (Debian/Ubuntu: apt-get install chromium) for the inbox page test`);
    return false;
  }
  console.log('[setup] installing chromium with apt-get (for the inbox page test) ...');
  execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'inherit' });
  return fs.existsSync(CHROMIUM);
}

module.exports = { ensureChromium };
if (require.main === module) ensureChromium();
