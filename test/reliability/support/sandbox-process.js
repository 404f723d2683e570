'use strict';
/**
 * The sandbox SMSC in its own node process, so a memory test measures only the client side:
 * in 'count' mode the sandbox still keeps one counter per destination (about 200 MB for a
 * million recipients), which would otherwise be counted against the code under test.
 *
 * Started by sandbox-child.ts with fork(); env SANDBOX_LATENCY_MS. Replies over IPC:
 * { ready, port } once listening; { id, stats } for { id, cmd: 'stats' }; exits on { cmd: 'stop' }.
 */
require('../../fixtures/otp/typescript-require-hook');
const { SandboxSmsc } = require('../../../src/sandbox/sandbox-smsc.ts');

async function main() {
  const smsc = new SandboxSmsc({ port: 0, recordMode: 'count', maxStoredMessages: 10, faults: { latencyMs: Number(process.env.SANDBOX_LATENCY_MS || 0) } });
  const { port } = await smsc.start();
  process.on('message', (message) => {
    if (message.cmd === 'stats') {
      process.send({ id: message.id, stats: { ...smsc.stats }, unique: smsc.store.uniqueDestinations(), duplicates: smsc.store.duplicates() });
    } else if (message.cmd === 'stop') {
      smsc.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    }
  });
  process.on('disconnect', () => process.exit(0)); // the test process went away: do not linger
  process.send({ ready: true, port });
}

main().catch((err) => {
  console.error(`sandbox process failed: ${err && err.message}`);
  process.exit(1);
});
