'use strict';
// The modem simulator is checked by AT clients we did not write: gammu and smstools' smsd, from
// Debian's packages (installed when missing, see ensure-debian-tool.js).
const { ensureDebianTool } = require('./ensure-debian-tool');

const ensureGammu = () => ensureDebianTool('gammu', 'gammu', 'the independent AT client check of the modem simulator');
const ensureSmsd = () => ensureDebianTool('smsd', 'smstools', 'the second independent AT client check of the modem simulator');

module.exports = { ensureGammu, ensureSmsd };
if (require.main === module) {
  ensureGammu();
  ensureSmsd();
}
