/**
 * One broadcast through the core (runBroadcast over a real SmppTransport) to a sandbox SMSC in
 * a child process, with memory measured around it: the shared body of the 200,000-recipient
 * test and the 1,000,000-recipient soak test. Tests call profileBroadcastInChild, which runs it
 * in a fresh node process with --expose-gc (broadcast-profile-process.js): jest's own memory
 * stays out of the numbers, and "live" readings follow a full collection.
 */
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { MemoryBroadcastJournal } from '../../../src/broadcast/broadcast-journal';
import { runBroadcast } from '../../../src/broadcast/broadcast-runner';
import type { BroadcastRecipient, BroadcastSummary } from '../../../src/broadcast/broadcast-types';
import { SmppTransport } from '../../../src/transport/smpp/smpp-transport';
import { ChildSandbox } from './sandbox-child';
import type { ChildSandboxStats } from './sandbox-child';
import { growthMb, PeakMemory, settledMemory } from './memory-sampler';

export interface BroadcastProfile {
  summary: BroadcastSummary;
  /** Growth in MB from just before the broadcast, at the highest reading taken every 100 ms (garbage included). */
  peak: { heapUsed: number; rss: number };
  /** Growth in MB at the highest reading taken after a full collection, every 3 s: what the broadcast really holds. */
  livePeak: { heapUsed: number; rss: number };
  /** Growth in MB after the broadcast returned (after a full collection). */
  end: { heapUsed: number; rss: number };
  gcAvailable: boolean;
  seconds: number;
  sandbox: ChildSandboxStats;
}

/** Distinct valid UK mobile numbers, one per recipient. */
export function ukRecipients(count: number): BroadcastRecipient[] {
  return Array.from({ length: count }, (_, i) => ({
    to: `+4479${String(i).padStart(8, '0')}`,
    text: 'Flood warning: move to higher ground now. Details: city.example/alert',
    itemIndex: i,
  }));
}

export async function profileBroadcast(count: number, windowSize = 1000): Promise<BroadcastProfile> {
  const sandbox = await ChildSandbox.start(0);
  const transport = new SmppTransport({
    host: '127.0.0.1',
    port: sandbox.port,
    systemId: 'sandbox',
    password: 'sandbox',
    windowSize,
    enquireLinkMs: 0,
    responseTimeoutMs: 30_000,
    connectTimeoutMs: 5000,
  });
  try {
    await transport.start();
    const recipients = ukRecipients(count);
    const before = settledMemory();
    const peak = new PeakMemory().start(100);
    const live = new PeakMemory();
    const started = performance.now();
    const { summary } = await runBroadcast(recipients, {
      broadcastId: `profile-${count}-${Date.now()}`,
      sender: transport,
      defaults: { from: 'CITYALERT' },
      message: {},
      journal: new MemoryBroadcastJournal(),
      collectResults: false,
      progressEveryMs: 3000,
      onProgress: () => {
        global.gc?.();
        live.sample();
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const highest = peak.stop();
    const end = settledMemory();
    return {
      summary,
      peak: growthMb(before, highest),
      livePeak: growthMb(before, live.peak),
      end: growthMb(before, end),
      gcAvailable: typeof global.gc === 'function',
      seconds,
      sandbox: await sandbox.stats(),
    };
  } finally {
    await transport.close(1000);
    await sandbox.stop();
  }
}

/** Runs profileBroadcast in a fresh node process with --expose-gc and returns what it measured. */
export function profileBroadcastInChild(count: number, windowSize = 1000): Promise<BroadcastProfile> {
  const child = fork(path.join(__dirname, 'broadcast-profile-process.js'), [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let answered = false;
    child.once('message', (reply: { profile?: BroadcastProfile; error?: string }) => {
      answered = true;
      if (reply.profile) resolve(reply.profile);
      else reject(new Error(`the broadcast profile process failed: ${reply.error}`));
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`the broadcast profile process exited with ${code} before answering`));
    });
    child.send({ count, windowSize });
  });
}

export function describeProfile(count: number, profile: BroadcastProfile): string {
  return (
    `broadcast of ${count} recipients: ${Math.round(count / profile.seconds)} msg/s over ${profile.seconds.toFixed(1)} s; ` +
    `live peak heap +${profile.livePeak.heapUsed} MB (RSS +${profile.livePeak.rss} MB); ` +
    `raw peak heap +${profile.peak.heapUsed} MB, RSS +${profile.peak.rss} MB; at the end heap +${profile.end.heapUsed} MB, RSS +${profile.end.rss} MB; ` +
    `gc ${profile.gcAvailable ? 'forced before live readings' : 'not available'}`
  );
}
