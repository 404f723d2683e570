/**
 * Bulk Alert Broadcast inside the real n8n (2.40.7, regular mode, provisioned in the cache folder):
 * 100,000 recipients from the node's list parameter in one execution started by a webhook,
 * summary-only output, timed from the webhook call to its answer; the n8n process's peak memory
 * (VmHWM); and the same broadcast through the core alone (runBroadcast on SmppTransport), in the
 * same run against the same sandbox SMSC (in its own process), as the baseline.
 *
 * Needs dist/ (n8n loads the package from it): `npm run build && node dist/bench/n8n-bench.js`.
 */
import { randomUUID } from 'crypto';
import { fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as N8nScripts from '../scripts/n8n/instance';
import { MemoryBroadcastJournal } from '../src/broadcast/broadcast-journal';
import { runBroadcast } from '../src/broadcast/broadcast-runner';
import type { BroadcastRecipient } from '../src/broadcast/broadcast-types';
import { SmppTransport } from '../src/transport/smpp/smpp-transport';
import { printTable, result } from './bench-result';
import type { BenchResult } from './bench-result';
import { SandboxChild } from './sandbox-child';

const TEXT = 'Flood warning: move to higher ground now. Details: city.example/alert';
const WINDOW = 100;
const OWNER = { email: 'bench-owner@example.com', password: 'Bench-Owner-Passw0rd', firstName: 'Bench', lastName: 'Owner' };

/** The project root, from bench/ (ts) or dist/bench/ (built). */
const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
// Plain JavaScript outside the TypeScript build: loaded from the source tree at run time.
const n8nScripts = require(path.join(ROOT, 'scripts', 'n8n', 'instance.js')) as typeof N8nScripts;

function phoneNumbers(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `+4479${String(i).padStart(8, '0')}`);
}

/** A webhook workflow whose Bulk Alert Broadcast has the recipients in its list parameter. */
function broadcastWorkflow(name: string, webhookPath: string, recipients: string[], credential: { id: string; name: string }): Record<string, unknown> {
  return {
    name,
    nodes: [
      {
        id: randomUUID(),
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId: randomUUID(),
        parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', options: {} },
      },
      {
        id: randomUUID(),
        name: 'Bulk Alert Broadcast',
        type: 'n8n-nodes-sms-gateway.bulkAlertBroadcast',
        typeVersion: 1,
        position: [220, 0],
        parameters: {
          transport: 'smpp',
          recipientSource: 'list',
          recipientList: recipients.join('\n'),
          messageSource: 'text',
          message: TEXT,
          broadcastId: `=${webhookPath}-{{ $execution.id }}`,
          output: 'summary',
          stateStore: 'memory',
          from: 'CITYALERT',
          options: {},
        },
        credentials: { smppApi: credential },
      },
    ],
    connections: { Webhook: { main: [[{ node: 'Bulk Alert Broadcast', type: 'main', index: 0 }]] } },
    settings: { executionOrder: 'v1' },
  };
}

/** Peak (VmHWM) and current (VmRSS) resident memory of a process, in MB (Linux /proc). */
function memoryOf(pid: number): { peakMb: number; rssMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/** The broadcast through the core alone, timed from the first submit to the summary; seconds. */
async function coreBroadcast(port: number, count: number): Promise<number> {
  const recipients: BroadcastRecipient[] = phoneNumbers(count).map((to, itemIndex) => ({ to, text: TEXT, itemIndex }));
  const transport = new SmppTransport({
    host: '127.0.0.1',
    port,
    systemId: 'sandbox',
    password: 'sandbox',
    windowSize: WINDOW,
    enquireLinkMs: 0,
    maxQueued: 1_000_000,
  });
  await transport.start();
  try {
    const started = performance.now();
    const { summary } = await runBroadcast(recipients, {
      broadcastId: `core-${Date.now()}`,
      sender: transport,
      defaults: { from: 'CITYALERT' },
      message: {},
      journal: new MemoryBroadcastJournal(),
      collectResults: false,
    });
    const seconds = (performance.now() - started) / 1000;
    if (summary.accepted !== count) throw new Error(`core broadcast accepted ${summary.accepted} of ${count}`);
    return seconds;
  } finally {
    await transport.close();
  }
}

/**
 * The core broadcast in a child process on another Node binary (n8n's), so the baseline runs on
 * the same runtime as n8n: only what n8n adds is compared, not two Node versions.
 */
function coreBroadcastOn(nodeBin: string, port: number, count: number): Promise<number> {
  const child = fork(__filename, [], {
    execPath: nodeBin,
    env: { ...process.env, N8N_BENCH_CORE_PORT: String(port), N8N_BENCH_CORE_COUNT: String(count) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { seconds?: number; error?: string }) => {
      if (typeof message.seconds === 'number') resolve(message.seconds);
      else reject(new Error(`core broadcast on ${nodeBin}: ${message.error}`));
    });
    child.once('exit', (code) => reject(new Error(`core broadcast on ${nodeBin} exited with ${code} before reporting`)));
  });
}

async function postWebhook(baseUrl: string, webhookPath: string): Promise<{ seconds: number; summary: Record<string, unknown> }> {
  const started = performance.now();
  const answer = await n8nScripts.callWebhookWhenLive(
    baseUrl,
    webhookPath,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
    { timeoutMs: 60_000 },
  );
  const seconds = (performance.now() - started) / 1000;
  if (answer.status !== 200) throw new Error(`webhook ${webhookPath} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
  return { seconds, summary: JSON.parse(answer.body) as Record<string, unknown> };
}

/** BENCH_N8N_BROADCAST_COUNT recipients (default 100,000), BENCH_N8N_ROUNDS alternating core/n8n rounds (default 2). */
export async function benchN8nBroadcast(
  count = Number(process.env.BENCH_N8N_BROADCAST_COUNT ?? 100_000),
  rounds = Number(process.env.BENCH_N8N_ROUNDS ?? 2),
): Promise<BenchResult[]> {
  const log = (line: string): void => console.log(`[n8n bench] ${line}`);
  const provisioned = await n8nScripts.ensureN8n({ log });
  const sandbox = await SandboxChild.start();
  const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-n8n-bench-'));
  let n8n: N8nScripts.N8nInstance | undefined;
  try {
    n8n = await n8nScripts.startN8n({ userFolder, packageDir: ROOT, provisioned, log });
    const client = await n8nScripts.setupOwner(n8n.url, OWNER);
    const phones = phoneNumbers(count);

    const credential = await client.post<{ id: string; name: string }>('/rest/credentials', {
      name: 'Sandbox SMSC',
      type: 'smppApi',
      data: { host: '127.0.0.1', port: sandbox.port, systemId: 'sandbox', password: 'sandbox', tps: 0, windowSize: WINDOW, enquireLinkSeconds: 30 },
    });
    for (const [name, webhookPath, list] of [
      ['bench: warm-up broadcast', 'bench-warmup', phones.slice(0, 10)],
      [`bench: broadcast to ${count}`, 'bench-broadcast', phones],
    ] as const) {
      const created = await client.post<{ id: string }>('/rest/workflows', broadcastWorkflow(name, webhookPath, [...list], credential));
      await client.activateWorkflow(created.id);
    }
    // Loads the node's code and binds once, as a workflow that has run before would have.
    await postWebhook(n8n.url, 'bench-warmup');

    /** Checks that the sandbox got every recipient exactly once since the last reset, then resets it. */
    const checkedSandbox = async (what: string): Promise<void> => {
      const sb = await sandbox.stats();
      if (sb.unique !== count || sb.duplicates.extraCopies !== 0)
        throw new Error(`${what}: the sandbox has ${sb.unique} destinations (expected ${count}) and ${sb.duplicates.extraCopies} duplicates`);
      await sandbox.reset();
    };
    await sandbox.reset();
    const before = memoryOf(n8n.pid);
    let peakRssDuringRuns = before.rssMb;
    const core: number[] = [];
    const inN8n: number[] = [];
    let nodeSeconds = '';
    const peakAfterRound: number[] = [];
    // Rounds alternate, best of each: the machine is shared, and a noisy moment should not decide the ratio.
    for (let round = 0; round < rounds; round++) {
      core.push(await coreBroadcastOn(provisioned.nodeBin, sandbox.port, count));
      await checkedSandbox('core broadcast');
      const sampler = setInterval(() => (peakRssDuringRuns = Math.max(peakRssDuringRuns, memoryOf(n8n!.pid).rssMb)), 100);
      const run = await postWebhook(n8n.url, 'bench-broadcast').finally(() => clearInterval(sampler));
      if (run.summary.accepted !== count) throw new Error(`n8n broadcast: ${JSON.stringify(run.summary)}`);
      await checkedSandbox('n8n broadcast');
      inN8n.push(run.seconds);
      nodeSeconds += `${nodeSeconds ? ', ' : ''}${String(run.summary.seconds)} s`;
      peakAfterRound.push(memoryOf(n8n.pid).peakMb);
    }
    const coreHere = await coreBroadcast(sandbox.port, count);
    await checkedSandbox(`core broadcast on Node ${process.version}`);
    const after = memoryOf(n8n.pid);

    const coreRate = count / Math.min(...core);
    const n8nRate = count / Math.min(...inN8n);
    const seconds = (list: number[]): string => list.map((s) => `${s.toFixed(2)} s`).join(', ');
    log(
      `core on n8n's Node ${provisioned.nodeVersion}: ${seconds(core)} (best ${Math.round(coreRate)} msg/s); on this Node ${process.version}: ${coreHere.toFixed(2)} s (${Math.round(count / coreHere)} msg/s)`,
    );
    log(`n8n: ${seconds(inN8n)} from webhook call to answer (best ${Math.round(n8nRate)} msg/s); inside the node: ${nodeSeconds}`);
    log(
      `n8n process memory: RSS ${Math.round(before.rssMb)} MB before, peak ${Math.round(peakRssDuringRuns)} MB during the runs, VmHWM after each run ${peakAfterRound.map(Math.round).join(', ')} MB`,
    );
    return [
      result(
        `n8n: broadcast ${count} recipients in one execution (webhook to answer), window ${WINDOW}`,
        'msg/s',
        n8nRate,
        coreRate,
        `core broadcast on n8n's Node, same sandbox`,
        '>= 0.5',
      ),
      result(`n8n: peak memory of the n8n process (VmHWM), ${count}-recipient broadcasts`, 'MB', after.peakMb, 1500, 'limit', '< 1'),
      result(`n8n: RSS growth of the n8n process during the ${count}-recipient broadcasts`, 'MB', peakRssDuringRuns - before.rssMb, null),
      result(`core broadcast ${count} on Node ${process.version} (the bench's own)`, 'msg/s', count / coreHere, coreRate, `core broadcast on n8n's Node`),
    ];
  } finally {
    await n8n?.stop();
    await sandbox.stop();
    await n8nScripts.dropInstanceDatabase({ provisioned, userFolder });
    fs.rmSync(userFolder, { recursive: true, force: true });
  }
}

/** Child mode (see coreBroadcastOn): runs the core broadcast and reports its seconds over IPC. */
function runAsCoreChild(): void {
  coreBroadcast(Number(process.env.N8N_BENCH_CORE_PORT), Number(process.env.N8N_BENCH_CORE_COUNT)).then(
    (seconds) => process.send?.({ seconds }, () => process.exit(0)),
    (err: Error) => process.send?.({ error: err.message }, () => process.exit(1)),
  );
}

if (require.main === module && process.env.N8N_BENCH_CORE_PORT) runAsCoreChild();
else if (require.main === module) {
  benchN8nBroadcast().then(
    (results) => {
      printTable(results);
      process.exit(0);
    },
    (err: Error) => {
      console.error(err);
      process.exit(1);
    },
  );
}
