/**
 * A million recipients in one execution of the real n8n (2.40.7, regular mode, binary data in
 * filesystem mode): a webhook starts a workflow that reads a CSV file from disk (Read/Write Files
 * from Disk) and hands its binary data to Bulk Alert Broadcast's streamed CSV source. The file is
 * hostile on purpose: quoted names with commas and doubled quotes, a quoted note with a line break,
 * CRLF, a BOM, empty lines, 1% invalid numbers, 1% duplicates written nationally. Measured: exact
 * counts in the summary and at the sandbox, n8n's peak memory (VmHWM), and the rate next to the
 * same broadcast through the core alone (runBroadcast over SmppTransport, the recipients already
 * in memory as an array, not timed), and the core streaming the same file through the same parser,
 * both on n8n's Node, same sandbox.
 *
 * `npm run bench:million` (BENCH_MILLION_COUNT to change the size), or BENCH_ONLY=million npm run bench.
 */
import { randomUUID } from 'crypto';
import { fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { once } from 'events';
import type * as N8nScripts from '../scripts/n8n/instance';
import { MemoryBroadcastJournal } from '../src/broadcast/broadcast-journal';
import { runBroadcast } from '../src/broadcast/broadcast-runner';
import type { BroadcastRecipient } from '../src/broadcast/broadcast-types';
import { csvNumberBatches } from '../src/broadcast/csv-recipients';
import { SmppTransport } from '../src/transport/smpp/smpp-transport';
import { printTable, result } from './bench-result';
import type { BenchResult } from './bench-result';
import { SandboxChild } from './sandbox-child';

const TEXT = 'Flood warning: move to higher ground now. Details: city.example/alert';
const WINDOW = 100;
const OWNER = { email: 'bench-owner@example.com', password: 'Bench-Owner-Passw0rd', firstName: 'Bench', lastName: 'Owner' };
const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
const n8nScripts = require(path.join(ROOT, 'scripts', 'n8n', 'instance.js')) as typeof N8nScripts;

interface CsvFile {
  file: string;
  rows: number;
  unique: number;
  invalid: number;
  duplicates: number;
  bytes: number;
}

const number = (i: number): string => `+4479${String(i).padStart(8, '0')}`;

/** Writes the hostile CSV (see the header comment), streamed to disk; counts what it should give. */
async function writeCsv(file: string, rows: number): Promise<CsvFile> {
  const out = fs.createWriteStream(file);
  const counts = { unique: 0, invalid: 0, duplicates: 0 };
  let chunk = '\uFEFF"name","phone","note"\r\n';
  for (let i = 0; i < rows; i++) {
    const name = `"Resident, ""${i}"", Flat ${i % 97}"`;
    if (i % 100 === 7) {
      chunk += `${name},"not, a number ${i}",x\r\n`;
      counts.invalid++;
    } else if (i % 100 === 42) {
      const national = `0${number(i - 1).slice(3)}`; // the row before's number, as written at home
      chunk += `${name},"${national.slice(0, 5)} ${national.slice(5)}",dup\r\n`;
      counts.duplicates++;
    } else {
      chunk += `${name},${number(i)},"ground floor\r\nback door, garden side"\r\n`;
      counts.unique++;
    }
    if (i % 1000 === 999) chunk += '\r\n';
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return { file, rows, ...counts, bytes: fs.statSync(file).size };
}

function memoryOf(pid: number): { peakMb: number; rssMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/** CPU time (user + system, all threads) a process has used, in µs (Linux /proc; clock ticks of 10 ms). */
function cpuMicrosOf(pid: number): number {
  const fields = fs
    .readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000; // utime, stime (fields 14, 15)
}

/** CPU per thread name of a process (µs), and the system (kernel) part as "<name> sys": the main thread, V8's GC helpers, libuv's pool. */
function threadCpuOf(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  const add = (name: string, micros: number): void => void byName.set(name, (byName.get(name) ?? 0) + micros);
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const name = /\((.*)\)/.exec(stat)?.[1].replace(/\d+$/, '').trim() ?? '?';
      const fields = stat.replace(/^.*\) /, '').split(' ');
      add(name, (Number(fields[11]) + Number(fields[12])) * 10_000);
      add(`${name} sys`, Number(fields[12]) * 10_000);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return byName;
}

/** Per thread name, µs per row between two readings, the busiest first: "node 12.1, V8 DefaultWorke 2.3". */
function threadCpuPerRow(before: Map<string, number>, after: Map<string, number>, rows: number): string {
  return [...after]
    .map(([name, micros]) => [name, (micros - (before.get(name) ?? 0)) / rows] as const)
    .filter(([, perRow]) => perRow >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, perRow]) => `${name} ${perRow.toFixed(1)}`)
    .join(', ');
}

function workflow(webhookPath: string, csvFile: string, credential: { id: string; name: string }): Record<string, unknown> {
  return {
    name: `bench: broadcast from ${path.basename(csvFile)}`,
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
        name: 'Read CSV',
        type: 'n8n-nodes-base.readWriteFile',
        typeVersion: 1,
        position: [220, 0],
        parameters: { operation: 'read', fileSelector: csvFile, options: {} },
      },
      {
        id: randomUUID(),
        name: 'Broadcast Alert',
        type: 'n8n-nodes-sms-gateway.bulkAlertBroadcast',
        typeVersion: 2,
        position: [440, 0],
        parameters: {
          resource: 'sms',
          operation: 'send',
          transport: 'smpp',
          messageSource: 'text',
          message: TEXT,
          recipientSource: 'file',
          binaryPropertyName: 'data',
          csvPhoneColumn: 'phone',
          broadcastId: `=${webhookPath}-{{ $execution.id }}`,
          output: 'summary',
          stateStore: 'memory',
          from: 'CITYALERT',
          options: { defaultCountry: 'GB' },
        },
        credentials: { smppApi: credential },
      },
    ],
    connections: {
      Webhook: { main: [[{ node: 'Read CSV', type: 'main', index: 0 }]] },
      'Read CSV': { main: [[{ node: 'Broadcast Alert', type: 'main', index: 0 }]] },
    },
    settings: { executionOrder: 'v1' },
  };
}

/** Batches of the file's rows as the node hands them to the core (parsed as they are sent). */
async function* csvRecipients(file: string): AsyncGenerator<BroadcastRecipient[]> {
  for await (const batch of csvNumberBatches(fs.createReadStream(file), { column: 'phone', field: 'csvPhoneColumn', sourceName: 'CSV file' })) {
    yield batch.map(({ to, row }) => ({ to, text: TEXT, itemIndex: 0, row }));
  }
}

/**
 * The core alone, two ways: `csv` streams the same file through the same parser as the node
 * (what n8n adds is the difference); `array` has the rows in memory already, read before the
 * clock starts (what n8n and parsing the file add together).
 */
async function coreBroadcast(
  port: number,
  file: string,
  source: 'csv' | 'array',
): Promise<{ threads: string; seconds: number; cpuMicros: number; accepted: number; invalid: number; duplicates: number }> {
  const rows: BroadcastRecipient[] = [];
  if (source === 'array') for await (const batch of csvRecipients(file)) for (const r of batch) rows.push(r);
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
    const cpu = process.cpuUsage();
    const threadsBefore = threadCpuOf(process.pid);
    const { summary } = await runBroadcast(source === 'array' ? rows : csvRecipients(file), {
      broadcastId: `core-${Date.now()}`,
      sender: transport,
      defaults: { from: 'CITYALERT', defaultCountry: 'GB' },
      message: { defaultCountry: 'GB' },
      journal: new MemoryBroadcastJournal(),
      collectResults: false,
    });
    const used = process.cpuUsage(cpu);
    const threads = threadCpuPerRow(threadsBefore, threadCpuOf(process.pid), summary.total);
    return {
      threads,
      seconds: (performance.now() - started) / 1000,
      cpuMicros: used.user + used.system,
      accepted: summary.accepted,
      invalid: summary.invalid,
      duplicates: summary.duplicatesRemoved,
    };
  } finally {
    await transport.close();
  }
}

type CoreOutcome = Awaited<ReturnType<typeof coreBroadcast>>;

/**
 * The core broadcast in a child on n8n's Node binary: the same runtime, only what n8n adds compared.
 * `ownSession`: the child gets its own session, as the n8n process has (startN8n spawns it
 * detached). With Linux's autogroup scheduling a session is one scheduling group: a child left in
 * the bench's session shares its group with the sandbox SMSC, and on a loaded machine its submits
 * and the SMSC's answers then wait less for each other than n8n's do (2026-12-03: 200,000 rows,
 * 3.29 s in the bench's session, 3.88 s in its own, mean of 5 alternating runs at load 4.6-5.1).
 */
function coreBroadcastOn(nodeBin: string, port: number, file: string, source: 'csv' | 'array', ownSession = true): Promise<CoreOutcome> {
  const child = fork(__filename, [], {
    execPath: nodeBin,
    detached: ownSession,
    // BENCH_MILLION_PROFILE_DIR: a CPU profile of each core run too, beside the n8n process's.
    execArgv: process.env.BENCH_MILLION_PROFILE_DIR
      ? [`--cpu-prof`, `--cpu-prof-dir=${path.resolve(process.env.BENCH_MILLION_PROFILE_DIR, `core-${source}`)}`]
      : [],
    env: { ...process.env, MILLION_CORE_PORT: String(port), MILLION_CORE_FILE: file, MILLION_CORE_SOURCE: source },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: CoreOutcome & { error?: string }) =>
      message.error ? reject(new Error(`core broadcast: ${message.error}`)) : resolve(message),
    );
    child.once('exit', (code) => reject(new Error(`core broadcast child exited with ${code} before reporting`)));
  });
}

export async function benchN8nMillion(count = Number(process.env.BENCH_MILLION_COUNT ?? 1_000_000)): Promise<BenchResult[]> {
  const log = (line: string): void => console.log(`[n8n million] ${line}`);
  const provisioned = await n8nScripts.ensureN8n({ log });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-million-'));
  const userFolder = path.join(work, 'n8n');
  const filesDir = path.join(work, 'files');
  fs.mkdirSync(filesDir, { recursive: true });
  const sandbox = await SandboxChild.start();
  const nodeFlags = (process.env.BENCH_MILLION_N8N_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  let n8n: N8nScripts.N8nInstance | undefined;
  try {
    const csv = await writeCsv(path.join(filesDir, `residents-${count}.csv`), count);
    log(
      `${csv.file}: ${csv.rows} rows, ${(csv.bytes / 1e6).toFixed(1)} MB; expected ${csv.unique} accepted, ${csv.invalid} invalid, ${csv.duplicates} duplicates`,
    );
    n8n = await n8nScripts.startN8n({
      userFolder,
      packageDir: ROOT,
      provisioned,
      log,
      env: {
        N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
        N8N_RESTRICT_FILE_ACCESS_TO: filesDir,
        // BENCH_MILLION_PROFILE_DIR: a CPU profile of the n8n process (written when it stops).
        ...(process.env.BENCH_MILLION_PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(process.env.BENCH_MILLION_PROFILE_DIR)}` } : {}),
      },
      // BENCH_MILLION_N8N_NODE_FLAGS: more flags for n8n's Node (e.g. --trace-gc; its log is kept then).
      nodeFlags,
    });
    const client = await n8nScripts.setupOwner(n8n.url, OWNER);
    const credential = await client.post<{ id: string; name: string }>('/rest/credentials', {
      name: 'Sandbox SMSC',
      type: 'smppApi',
      data: { host: '127.0.0.1', port: sandbox.port, systemId: 'sandbox', password: 'sandbox', tps: 0, windowSize: WINDOW, enquireLinkSeconds: 30 },
    });
    const warmFile = await writeCsv(path.join(filesDir, 'warm-up.csv'), 200);
    for (const [webhookPath, file] of [
      ['million-warmup', warmFile.file],
      ['million', csv.file],
    ]) {
      const created = await client.post<{ id: string }>('/rest/workflows', workflow(webhookPath, file, credential));
      await client.activateWorkflow(created.id);
    }
    const post = async (webhookPath: string): Promise<{ seconds: number; summary: Record<string, unknown> }> => {
      const started = performance.now();
      const answer = await n8nScripts.callWebhookWhenLive(
        n8n!.url,
        webhookPath,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
        { timeoutMs: 60_000 },
      );
      const seconds = (performance.now() - started) / 1000;
      if (answer.status !== 200) throw new Error(`webhook ${webhookPath} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
      return { seconds, summary: JSON.parse(answer.body) as Record<string, unknown> };
    };
    const warm = await post('million-warmup');
    if (warm.summary.accepted !== warmFile.unique) throw new Error(`warm-up: ${JSON.stringify(warm.summary).slice(0, 500)}`);
    /** The sandbox's own CPU per row of the run it checked (the SMSC competes for the same 2 cores). */
    const sandboxCpu: number[] = [];
    const checkedSandbox = async (what: string): Promise<void> => {
      const sb = await sandbox.stats();
      sandboxCpu.push(sb.cpuMicros / csv.rows);
      if (sb.unique !== csv.unique || sb.duplicates.extraCopies !== 0)
        throw new Error(`${what}: the sandbox has ${sb.unique} destinations (expected ${csv.unique}) and ${sb.duplicates.extraCopies} duplicates`);
      await sandbox.reset();
    };
    await sandbox.reset();

    // Rounds alternate (core, then n8n), best of each: the machine is shared. Each n8n round is a
    // new broadcast ID, so the process-wide memory journal holds every round's numbers: the memory
    // row is VmHWM after the first round, one execution's peak.
    const rounds = Number(process.env.BENCH_MILLION_ROUNDS ?? 2);
    // The baselines, each in its own session as n8n is; and, for the record, the core streaming
    // from the bench's own session (beside the sandbox), as this bench measured before 2026-12-03.
    const baselines = [
      { name: 'csv', source: 'csv', ownSession: true },
      { name: 'array', source: 'array', ownSession: true },
      { name: 'csvBesideSandbox', source: 'csv', ownSession: false },
    ] as const;
    const coreSeconds = { csv: [] as number[], array: [] as number[], csvBesideSandbox: [] as number[] };
    const coreCpu = { csv: [] as number[], array: [] as number[], csvBesideSandbox: [] as number[] };
    const n8nSeconds: number[] = [];
    /** The broadcast's own seconds in the node's summary (runBroadcast, as the core's are timed). */
    const n8nInside: number[] = [];
    const n8nCpu: number[] = [];
    const peaks: number[] = [];
    const before = memoryOf(n8n.pid);
    for (let round = 0; round < rounds; round++) {
      const core: Record<string, CoreOutcome> = {};
      for (const { name, source, ownSession } of baselines) {
        const outcome = await coreBroadcastOn(provisioned.nodeBin, sandbox.port, csv.file, source, ownSession);
        if (outcome.accepted !== csv.unique || outcome.invalid !== csv.invalid || outcome.duplicates !== csv.duplicates)
          throw new Error(`core broadcast (${name}) counted ${JSON.stringify(outcome)}`);
        await checkedSandbox(`core broadcast (${name})`);
        coreSeconds[name].push(outcome.seconds);
        coreCpu[name].push(outcome.cpuMicros / csv.rows);
        core[name] = outcome;
      }
      const cpuBefore = cpuMicrosOf(n8n.pid);
      const threadsBefore = threadCpuOf(n8n.pid);
      const run = await post('million');
      n8nCpu.push((cpuMicrosOf(n8n.pid) - cpuBefore) / csv.rows);
      const threads = threadCpuPerRow(threadsBefore, threadCpuOf(n8n.pid), csv.rows);
      const s = run.summary;
      const expected = { total: csv.rows, accepted: csv.unique, invalid: csv.invalid, duplicatesRemoved: csv.duplicates, failed: 0 };
      for (const [key, value] of Object.entries(expected))
        if (s[key] !== value) throw new Error(`n8n summary ${key} = ${String(s[key])}, expected ${value}: ${JSON.stringify({ ...s, problems: undefined })}`);
      await checkedSandbox('n8n broadcast');
      n8nSeconds.push(run.seconds);
      n8nInside.push(Number(s.seconds));
      peaks.push(memoryOf(n8n.pid).peakMb);
      const rate = (seconds: number): string => `${seconds.toFixed(1)} s (${Math.round(csv.unique / seconds)} msg/s)`;
      const cpu = (micros: number): string => `${(micros / csv.rows).toFixed(1)} µs CPU/row`;
      const [sbCsv, sbArray, , sbN8n] = sandboxCpu.slice(-4).map((micros) => micros.toFixed(1));
      log(
        `round ${round + 1}: threads (µs CPU/row): core streaming ${core.csv.threads}; core from an array ${core.array.threads}; core beside the sandbox ${core.csvBesideSandbox.threads}; n8n ${threads}`,
      );
      log(
        `round ${round + 1}: sandbox µs CPU/row: core streaming ${sbCsv}, core from an array ${sbArray}, n8n ${sbN8n}; load ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      );
      log(
        `round ${round + 1}: core streaming the file ${rate(core.csv.seconds)}, ${cpu(core.csv.cpuMicros)}; core from an array ${rate(core.array.seconds)}, ${cpu(core.array.cpuMicros)}; core streaming beside the sandbox ${rate(core.csvBesideSandbox.seconds)}; n8n ${rate(run.seconds)} webhook to answer, ${n8nCpu[round].toFixed(1)} µs CPU/row, ${String(s.seconds)} s inside the node; VmHWM ${Math.round(peaks[round])} MB; summary ${JSON.stringify({ total: s.total, accepted: s.accepted, invalid: s.invalid, duplicatesRemoved: s.duplicatesRemoved, failed: s.failed, parts: s.parts })}`,
      );
    }
    const coreRate = csv.unique / Math.min(...coreSeconds.csv);
    const arrayRate = csv.unique / Math.min(...coreSeconds.array);
    const besideRate = csv.unique / Math.min(...coreSeconds.csvBesideSandbox);
    const n8nRate = csv.unique / Math.min(...n8nSeconds);
    const insideRate = csv.unique / Math.min(...n8nInside);
    log(
      `best: core streaming ${Math.round(coreRate)} msg/s, core from an array ${Math.round(arrayRate)} msg/s (on n8n's Node ${provisioned.nodeVersion}), core streaming beside the sandbox ${Math.round(besideRate)} msg/s; n8n ${Math.round(n8nRate)} msg/s webhook to answer (${(n8nRate / coreRate).toFixed(3)} of streaming, ${(n8nRate / besideRate).toFixed(3)} of streaming beside the sandbox, ${(n8nRate / arrayRate).toFixed(3)} of array), ${Math.round(insideRate)} msg/s inside the node (${(insideRate / coreRate).toFixed(3)} of streaming); n8n RSS ${Math.round(before.rssMb)} MB before the first round`,
    );
    const after = { peakMb: peaks[0] };
    return [
      result(
        `n8n: broadcast from a ${count}-row CSV file in one execution (webhook to answer), window ${WINDOW}`,
        'msg/s',
        n8nRate,
        coreRate,
        "core streaming the same file in its own session (as n8n), n8n's Node, same sandbox",
        '>= 0.8',
      ),
      result(
        `n8n: the same ${count}-row CSV broadcast vs the core with the rows already in memory`,
        'msg/s',
        n8nRate,
        arrayRate,
        'core from an array (parsed before timing)',
      ),
      result(
        `n8n: the same ${count}-row CSV broadcast vs the core streaming from the bench's session (beside the sandbox)`,
        'msg/s',
        n8nRate,
        besideRate,
        "core streaming, sharing the SMSC's scheduling group",
      ),
      // CPU is what the machine's load changes least: the n8n process (all threads, webhook to answer) vs the core's process.
      result(
        `n8n: CPU per CSV row of the n8n process, ${count}-row CSV broadcast`,
        'µs',
        Math.min(...n8nCpu),
        Math.min(...coreCpu.csv),
        'core streaming the same file',
      ),
      result(`n8n: peak memory of the n8n process (VmHWM), ${count}-row CSV broadcast`, 'MB', after.peakMb, 1500, 'limit', '< 1'),
    ];
  } finally {
    await n8n?.stop();
    if (n8n && nodeFlags.length) {
      const kept = path.join(os.tmpdir(), `n8n-million-${Date.now()}.log`);
      fs.copyFileSync(n8n.logFile, kept);
      log(`n8n's log (with ${nodeFlags.join(' ')}) kept at ${kept}`);
    }
    await sandbox.stop();
    await n8nScripts.dropInstanceDatabase({ provisioned, userFolder });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module && process.env.MILLION_CORE_PORT) {
  process.once('disconnect', () => process.exit(1)); // the bench is gone: a child in its own session would run on
  coreBroadcast(
    Number(process.env.MILLION_CORE_PORT),
    String(process.env.MILLION_CORE_FILE),
    process.env.MILLION_CORE_SOURCE === 'array' ? 'array' : 'csv',
  ).then(
    (outcome) => process.send?.(outcome, () => process.exit(0)),
    (err: Error) => process.send?.({ error: err.message }, () => process.exit(1)),
  );
} else if (require.main === module) {
  benchN8nMillion().then(
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
