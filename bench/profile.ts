/**
 * `npm run bench:profile`: profiles one client (ours or the raw smpp library) sending 60,000
 * messages at window 100 to the sandbox (in its own process), or (`broadcast`) the 100,000-recipient
 * broadcast through the node's code path. Run it under --cpu-prof:
 *   node --cpu-prof --cpu-prof-dir=prof/ours dist/bench/profile.js ours
 *   node --cpu-prof --cpu-prof-dir=prof/raw  dist/bench/profile.js raw
 *   node scripts/profile-summary.js prof/ours/*.cpuprofile
 */
import { SandboxChild } from './sandbox-child';
import { runRawClient } from './raw-smpp-client';
import { runTransport } from './transport-client';

async function main(): Promise<void> {
  const which = process.argv[2] === 'raw' || process.argv[2] === 'broadcast' ? process.argv[2] : 'ours';
  const sandbox = await SandboxChild.start();
  try {
    if (which === 'broadcast') {
      const { runNodeCodePathBroadcast, benchRecipients } = await import('./broadcast-bench');
      const { seconds } = await runNodeCodePathBroadcast(sandbox.port, benchRecipients(100_000));
      console.log(`broadcast: ${Math.round(100_000 / seconds)} msg/s`);
      return;
    }
    const r = which === 'raw' ? await runRawClient(sandbox.port, 60_000, 100) : await runTransport(sandbox.port, 60_000, 100);
    console.log(`${which}: ${Math.round(r.perSecond)} msg/s, ${r.cpuMicrosPerMessage.toFixed(1)} µs CPU per message`);
  } finally {
    await sandbox.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
