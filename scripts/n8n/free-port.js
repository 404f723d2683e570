'use strict';
// n8n wants a fixed port number in its environment, so we ask the OS for a free one. Another
// process can take it between this call and n8n's listen; n8n then fails to start with
// EADDRINUSE and the start error shows it.

const net = require('node:net');

/** @returns {Promise<number>} a TCP port on 127.0.0.1 that was free a moment ago */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

module.exports = { freePort };
