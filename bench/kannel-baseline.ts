/**
 * Kannel's bearerbox on the same `smpp`-library sink (issue 23): its CPU per message at a given
 * window and the sink's latency, as a baseline row next to the broadcast path. Kannel is not a
 * dependency: when `bearerbox` is not installed (Debian: `apt-get install kannel`) the rows are
 * skipped with a line saying so; `npm test` never installs it.
 *
 * How: bearerbox binds to the sink as a transceiver (`max-pending-submits` = the window, no
 * delivery reports, no store file); smsbox takes the messages over HTTP (sendsms, 100 numbers per
 * request) and hands them to bearerbox, which queues them and submits them to the sink. CPU is
 * bearerbox's alone, from before the first request to the sink's last answer, per message, as the
 * earlier side-by-side runs measured it: the time on the CPU of all its threads (schedstat, ns;
 * its threads live as long as it does), with /proc/<pid>/stat as a check (10 ms ticks: at window 1
 * 400 messages are only 4-5 ticks). smsbox (the HTTP side, our equivalent of n8n's item handling)
 * is not counted.
 */
import { spawn, spawnSync } from 'child_process';
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export interface KannelRun {
  messages: number;
  seconds: number;
  perSecond: number;
  /** bearerbox's CPU (all its threads) per message, from their schedstat (ns). */
  cpuMicrosPerMessage: number;
  /** The same from /proc/<pid>/stat (10 ms ticks, but it also counts threads that ended meanwhile). */
  tickMicrosPerMessage: number;
}

/** bearerbox's path, or undefined when Kannel is not installed. */
export function findBearerbox(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v bearerbox || ls /usr/sbin/bearerbox 2>/dev/null'], { encoding: 'utf8' });
  const first = found.stdout.trim().split('\n')[0];
  return found.status === 0 && first ? first : undefined;
}

/** "1.4.5" from `bearerbox --version`, or '?'. */
export function bearerboxVersion(bearerboxPath: string): string {
  const out = spawnSync(bearerboxPath, ['--version'], { encoding: 'utf8' });
  return /version `([^']+)'/.exec(`${out.stdout}${out.stderr}`)?.[1] ?? '?';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}: ${body.trim()}`))));
      })
      .on('error', reject);
  });
}

/** utime + stime of the whole process (all threads, live and ended), in µs. */
function processCpuMicros(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const hz = 100; // USER_HZ on Linux
  return ((Number(f[11]) + Number(f[12])) * 1e6) / hz;
}

/** Time on the CPU of the process's live threads, in µs (ns precision). */
function threadCpuMicros(pid: number): number {
  let total = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
    } catch {
      // the thread ended
    }
  }
  return total;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** bearerbox + smsbox bound to the sink at `window`; stop() ends both. */
export class KannelBox {
  private constructor(
    private readonly dir: string,
    private readonly bearerbox: ChildProcess,
    private readonly smsbox: ChildProcess,
    private readonly adminPort: number,
    private readonly sendsmsPort: number,
  ) {}

  get pid(): number {
    return this.bearerbox.pid ?? 0;
  }

  static async start(bearerboxPath: string, sinkPort: number, window: number): Promise<KannelBox> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kannel-bench-'));
    const [adminPort, smsboxPort, sendsmsPort] = [await freePort(), await freePort(), await freePort()];
    const conf = path.join(dir, 'kannel.conf');
    fs.writeFileSync(
      conf,
      [
        'group = core',
        `admin-port = ${adminPort}`,
        'admin-password = bench',
        `smsbox-port = ${smsboxPort}`,
        'box-allow-ip = 127.0.0.1',
        'admin-allow-ip = 127.0.0.1',
        'log-level = 4',
        `log-file = "${path.join(dir, 'bearerbox.log')}"`,
        'dlr-storage = internal',
        '',
        'group = smsc',
        'smsc = smpp',
        'smsc-id = sink',
        'host = 127.0.0.1',
        `port = ${sinkPort}`,
        'transceiver-mode = true',
        'smsc-username = bench',
        'smsc-password = bench',
        'system-type = ""',
        `max-pending-submits = ${window}`,
        'enquire-link-interval = 30',
        'reconnect-delay = 1',
        'log-level = 4',
        '',
        'group = smsbox',
        'bearerbox-host = 127.0.0.1',
        `sendsms-port = ${sendsmsPort}`,
        'log-level = 4',
        `log-file = "${path.join(dir, 'smsbox.log')}"`,
        '',
        'group = sendsms-user',
        'username = bench',
        'password = bench',
        'max-messages = 1',
        'concatenation = false',
        '',
      ].join('\n'),
    );
    const bearerbox = spawn(bearerboxPath, ['-v', '4', conf], { stdio: 'ignore' });
    await sleep(300);
    const smsbox = spawn(path.join(path.dirname(bearerboxPath), 'smsbox'), ['-v', '4', conf], { stdio: 'ignore' });
    const box = new KannelBox(dir, bearerbox, smsbox, adminPort, sendsmsPort);
    // Bound to the sink (the admin page says the SMSC is online) and smsbox connected.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const status = await get(`http://127.0.0.1:${adminPort}/status.txt?password=bench`).catch(() => '');
      if (/online/.test(status) && /smsbox/i.test(status.split('Box connections')[1] ?? '')) break;
      if (Date.now() > deadline) {
        await box.stop();
        throw new Error(`Kannel did not bind to the sink within 15 s: ${status.slice(0, 400)}`);
      }
      await sleep(200);
    }
    return box;
  }

  /** Hands `numbers` to smsbox (100 per request, one text), which queues them in bearerbox. */
  async send(numbers: string[], text: string): Promise<void> {
    for (let i = 0; i < numbers.length; i += 100) {
      const to = numbers.slice(i, i + 100).join(' ');
      await get(
        `http://127.0.0.1:${this.sendsmsPort}/cgi-bin/sendsms?username=bench&password=bench&from=CITYALERT&to=${encodeURIComponent(to)}&text=${encodeURIComponent(text)}`,
      );
    }
  }

  /** bearerbox's CPU (µs) so far: whole process (ticks), live threads (ns). */
  cpu(): { process: number; threads: number } {
    return { process: processCpuMicros(this.pid), threads: threadCpuMicros(this.pid) };
  }

  async stop(): Promise<void> {
    for (const child of [this.smsbox, this.bearerbox]) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Sends `count` messages through bearerbox to the sink and measures bearerbox's CPU per message.
 * `answered` reads how many submits the sink answered since its last reset.
 */
export async function measureKannel(box: KannelBox, count: number, offset: number, answered: () => Promise<number>): Promise<KannelRun> {
  const numbers = Array.from({ length: count }, (_, i) => `+4479${String(offset + i).padStart(8, '0')}`);
  const before = box.cpu();
  const started = performance.now();
  await box.send(numbers, 'Flood warning: move to higher ground now. Details: city.example/alert');
  const deadline = Date.now() + 60_000 + count * 100;
  while ((await answered()) < count) {
    if (Date.now() > deadline) throw new Error(`Kannel: the sink answered ${await answered()} of ${count}`);
    await sleep(20);
  }
  const seconds = (performance.now() - started) / 1000;
  const after = box.cpu();
  return {
    messages: count,
    seconds,
    perSecond: count / seconds,
    cpuMicrosPerMessage: (after.threads - before.threads) / count,
    tickMicrosPerMessage: (after.process - before.process) / count,
  };
}
