'use strict';
// The custom-TLV wire test reads our submits back with Wireshark's SMPP dissector (Debian's
// `tshark`), an implementation that shares nothing with ours or node-smpp: installed when missing
// (see ensure-debian-tool.js). Installed as root, it captures on the loopback without setup.
const { ensureDebianTool } = require('./ensure-debian-tool');

const ensureTshark = () => ensureDebianTool('tshark', 'tshark', "the custom-TLV wire test (Wireshark's SMPP dissector reads our PDUs)");

module.exports = { ensureTshark };
if (require.main === module) ensureTshark();
