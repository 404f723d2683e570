/**
 * `npm run bench:faults`: seven fault scenarios against the sandbox SMSC, each with 20,000
 * distinct recipients, window 10, 10 ms latency, through the Bulk Alert Broadcast code path.
 * After each, the same broadcast runs again (same ID, same journal): it must send nothing.
 * Prints a table and writes bench/faults.json. Counts come from the sandbox's own record (a file
 * written per accepted message, so it survives the sandbox being killed).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SandboxChild } from './sandbox-child';
import { SmppTransport } from '../src/transport/smpp/smpp-transport';
import { runBroadcast } from '../src/broadcast/broadcast-runner';
import { MemoryBroadcastJournal } from '../src/broadcast/broadcast-journal';
import type { BroadcastJournal } from '../src/broadcast/broadcast-journal';
import { RedisBroadcastJournal } from '../src/broadcast/redis-broadcast-journal';
import { closeSharedRedisClients, sharedRedis } from '../nodes/shared/state/redis-connection';
import { PrivateRedis } from './private-redis';
import type { BroadcastRecipient } from '../src/broadcast/broadcast-types';
import { writeResults } from './bench-result';

const COUNT = Number(process.env.FAULT_BENCH_COUNT ?? 20_000);
const WINDOW = 10;
const LATENCY_MS = 10;
const STALL_MS = Number(process.env.FAULT_BENCH_STALL_MS ?? 30_000);
const RESTART_AFTER_MS = 5000;
const REDIS_DOWN_MS = 3000;

type Scenario = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G';
const SCENARIOS: Scenario[] = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
const TITLES: Record<Scenario, string> = {
  A: 'no fault (baseline)',
  B: 'three connection drops (20%, 50%, 80%)',
  C: '30% of submits ESME_RTHROTTLED',
  D: `SMSC stalls ${STALL_MS / 1000} s at 50%`,
  E: `SMSC killed at 50%, restarted after ${RESTART_AFTER_MS / 1000} s`,
  F: 'SMSC unbinds at 30% and 70%, answers after its unbind',
  G: `journal's Redis killed at 50%, back after ${REDIS_DOWN_MS / 1000} s (AOF)`,
};

interface Row {
  scenario: Scenario;
  title: string;
  recipients: number;
  deliveredUnique: number;
  lost: number;
  duplicatesSeen: number;
  duplicatesReported: number;
  failed: number;
  failureReasons: Record<string, number>;
  seconds: number;
  ratePerSecond: number;
  rateRatioToA: number;
  timeRatioToA: number;
  /** Messages the SMSC accepted when the same broadcast ran again afterwards (must be 0). */
  rerunSent: number;
}

/** The journal of a scenario: memory, or (G) Redis on a private server the scenario may kill. */
async function journalFor(scenario: Scenario): Promise<{ journal: BroadcastJournal; redis: PrivateRedis | null }> {
  if (scenario !== 'G') return { journal: new MemoryBroadcastJournal(), redis: null };
  const redis = await PrivateRedis.start({ persist: true });
  // The client the nodes use (nodes/shared/state/redis-connection.ts), as a user's n8n would have it.
  const client = await sharedRedis({ host: '127.0.0.1', port: redis.port, db: 0, tls: false, keyPrefix: 'bench:' });
  return { journal: new RedisBroadcastJournal(client, { prefix: 'bench:broadcast:' }), redis };
}

const recordedLines = (file: string): string[] => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

async function runScenario(scenario: Scenario): Promise<Omit<Row, 'rateRatioToA' | 'timeRatioToA'>> {
  const recordFile = path.join(os.tmpdir(), `sms-gw-faults-${process.pid}-${scenario}.txt`);
  fs.rmSync(recordFile, { force: true });
  let sandbox = await SandboxChild.start(0, { recordFile, latencyMs: LATENCY_MS });
  const port = sandbox.port;
  if (scenario === 'C') await sandbox.setFaults({ throttleRatio: 0.3 });
  const transport = new SmppTransport({
    host: '127.0.0.1',
    port,
    systemId: 'sandbox',
    password: 'sandbox',
    windowSize: WINDOW,
    enquireLinkMs: 5000,
    reconnectBaseMs: 200,
    reconnectMaxMs: 1000,
    reconnectAttempts: 0,
    maxQueued: 1_000_000,
    responseTimeoutMs: 10_000,
    connectTimeoutMs: 10_000,
  });
  await transport.start();
  const recipients: BroadcastRecipient[] = Array.from({ length: COUNT }, (_, i) => ({
    to: `+4479${String(20_000_000 + i).slice(-8)}`,
    text: `Evacuation order ${scenario}: leave zone 4 now.`,
    itemIndex: i,
  }));
  const triggers = scenario === 'B' ? [0.2, 0.5, 0.8] : scenario === 'F' ? [0.3, 0.7] : scenario === 'D' || scenario === 'E' || scenario === 'G' ? [0.5] : [];
  const { journal, redis } = await journalFor(scenario);
  let accepted = 0;
  const pending: Array<Promise<unknown>> = [];
  const onAccepted = (): void => {
    accepted++;
    while (triggers.length && accepted >= triggers[0] * COUNT) {
      triggers.shift();
      if (scenario === 'B') pending.push(sandbox.drop());
      if (scenario === 'D') {
        pending.push(
          sandbox
            .setFaults({ stalled: true })
            .then(() => new Promise((r) => setTimeout(r, STALL_MS)))
            .then(() => sandbox.setFaults({ stalled: false })),
        );
      }
      if (scenario === 'F') pending.push(sandbox.unbind());
      if (scenario === 'G') {
        pending.push(
          redis!
            .kill()
            .then(() => new Promise((r) => setTimeout(r, REDIS_DOWN_MS)))
            .then(() => redis!.restart()),
        );
      }
      if (scenario === 'E') {
        sandbox.kill();
        pending.push(
          new Promise((r) => setTimeout(r, RESTART_AFTER_MS)).then(async () => {
            sandbox = await SandboxChild.start(port, { recordFile, latencyMs: LATENCY_MS });
          }),
        );
      }
    }
  };
  const started = performance.now();
  const options = {
    broadcastId: `faults-${scenario}-${Date.now()}`,
    sender: transport,
    defaults: { from: 'CITYALERT' },
    message: {},
    journal,
    collectResults: false,
  };
  const { summary, results } = await runBroadcast(recipients, { ...options, onAccepted });
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(pending);
  const lines = recordedLines(recordFile);
  // The same broadcast again, after the fault: nobody may get it twice.
  const rerun = await runBroadcast(recipients, options);
  const rerunSent = recordedLines(recordFile).length - lines.length;
  if (rerun.summary.accepted !== rerunSent) console.warn(`${scenario}: the re-run reported ${rerun.summary.accepted} accepted, the SMSC recorded ${rerunSent}`);
  await transport.close(1000);
  await sandbox.stop();
  await redis?.stop();
  fs.rmSync(recordFile, { force: true });
  const delivered = new Set(lines);
  // Reported to the user instead of sent: failed, or skipped as uncertain (may have been sent).
  const failedNumbers = new Set(results.filter((r) => r.status === 'failed' || r.status === 'skipped_uncertain').map((r) => r.to.replace(/^\+/, '')));
  let lost = 0;
  for (const r of recipients) {
    const digits = r.to.slice(1);
    if (!delivered.has(digits) && !failedNumbers.has(digits)) lost++;
  }
  return {
    scenario,
    title: TITLES[scenario],
    recipients: COUNT,
    deliveredUnique: delivered.size,
    lost,
    duplicatesSeen: lines.length - delivered.size,
    duplicatesReported: summary.possibleDuplicates,
    failed: summary.failed,
    failureReasons: summary.failureReasons ?? {},
    seconds: Math.round(seconds * 100) / 100,
    ratePerSecond: Math.round(summary.accepted / seconds),
    rerunSent,
  };
}

async function main(): Promise<void> {
  const only = (process.env.FAULT_BENCH_ONLY ?? SCENARIOS.join('')).split('') as Scenario[];
  const rows: Row[] = [];
  let baseline: { seconds: number; rate: number } | null = null;
  for (const scenario of SCENARIOS.filter((s) => only.includes(s) || s === 'A')) {
    const r = await runScenario(scenario);
    baseline ??= { seconds: r.seconds, rate: r.ratePerSecond };
    const row: Row = {
      ...r,
      rateRatioToA: Math.round((r.ratePerSecond / baseline.rate) * 1000) / 1000,
      timeRatioToA: Math.round((r.seconds / baseline.seconds) * 1000) / 1000,
    };
    rows.push(row);
    console.log(
      `${scenario} ${row.title}: delivered ${row.deliveredUnique}, lost ${row.lost}, duplicates seen ${row.duplicatesSeen} / reported ${row.duplicatesReported}, failed ${row.failed}, ${row.seconds} s, ${row.ratePerSecond} msg/s (x${row.rateRatioToA} of A's rate), re-run sent ${row.rerunSent}`,
    );
  }
  await closeSharedRedisClients();
  const file = writeResults('faults.json', rows as unknown as never);
  console.log(`\nwritten to ${file}`);
  // Keep bench/README.md's tables in step with the last run.
  require(path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../scripts/bench-tables.js' : '../scripts/bench-tables.js'));
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
