// `npm start` as a process manager, `docker stop` or a test harness runs it: with its n8n port
// already taken by another n8n it refuses at once, saying by what and how to choose another port;
// stopped with SIGTERM (sent to npm, not Ctrl-C to the terminal), after its start or during it, it
// leaves no n8n and no sandbox running.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { dropInstanceDatabase, ensureN8n, freePort, type ProvisionedN8n } from '../../scripts/n8n/instance';
import { isTaken } from '../../scripts/n8n/port-check';

const ROOT = path.resolve(__dirname, '..', '..');
const note = (line: string): void => {
  process.stderr.write(`[e2e npm start] ${line}\n`);
};

interface Started {
  npm: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  folder: string;
  ports: { n8n: number; smpp: number; http: number };
}

/** `npm start` on free ports (or the given n8n port) and a folder of its own. */
async function npmStart(n8nPort?: number): Promise<Started> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-e2e-start-'));
  const ports = { n8n: n8nPort ?? (await freePort()), smpp: await freePort(), http: await freePort() };
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      SMS_GATEWAY_DEMO_FOLDER: folder,
      N8N_PORT: String(ports.n8n),
      SANDBOX_SMPP_PORT: String(ports.smpp),
      SANDBOX_HTTP_PORT: String(ports.http),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  npm.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  npm.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  return { npm, output: () => text, exited, folder, ports };
}

async function until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Processes (other than this one) whose environment names the demo folder: n8n and its task runners. */
function processesOf(folder: string): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const pid of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)) {
    try {
      if (
        !fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`SMS_GATEWAY_DEMO_FOLDER=${folder}`) &&
        !fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`N8N_USER_FOLDER=${folder}`)
      )
        continue;
      found.push({ pid: Number(pid), command: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

describe('npm start: a taken port and SIGTERM', () => {
  let provisioned: ProvisionedN8n;
  const folders: string[] = [];
  const children: ChildProcess[] = [];

  beforeAll(
    async () => {
      provisioned = await ensureN8n({ log: note });
    },
    10 * 60 * 1000,
  );

  afterAll(
    async () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      for (const folder of folders) {
        // Anything left would be the bug under test: stop it so other tests are not disturbed.
        for (const { pid } of processesOf(folder)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone
          }
        }
        await dropInstanceDatabase({ provisioned, userFolder: folder }).catch(() => undefined);
        fs.rmSync(folder, { recursive: true, force: true });
      }
    },
    2 * 60 * 1000,
  );

  test(
    'refuses a port another n8n answers on, naming it and how to choose another, and starts nothing',
    async () => {
      // Stands in for an n8n already on the port: it answers /healthz like one.
      const other = http.createServer((request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: 'ok' }));
      });
      await new Promise<void>((resolve) => other.listen(0, resolve));
      const port = (other.address() as { port: number }).port;
      try {
        const started = await npmStart(port);
        children.push(started.npm);
        folders.push(started.folder);
        const code = await Promise.race([started.exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 120_000))]);
        note(
          started
            .output()
            .split('\n')
            .filter((line) => line.includes('[demo]'))
            .join('\n'),
        );
        expect(code).toBe(1);
        expect(started.output()).toContain(`port ${port} (n8n's editor) is taken by an n8n (process ${process.pid}: `);
        expect(started.output()).toContain(`N8N_PORT=${port + 1} npm start`);
        expect(started.output()).not.toMatch(/ready/);
        expect(await isTaken(started.ports.smpp)).toBe(false);
        expect(processesOf(started.folder)).toEqual([]);
      } finally {
        await new Promise((resolve) => other.close(resolve));
      }
    },
    3 * 60 * 1000,
  );

  test.each([
    ['once it has started', '[demo] started in'],
    ['while n8n is starting', 'starting n8n regular'],
  ])(
    'SIGTERM to npm %s leaves no n8n and no sandbox running',
    async (_when, waitFor) => {
      const started = await npmStart();
      children.push(started.npm);
      folders.push(started.folder);
      await until(() => started.output().includes(waitFor) || started.npm.exitCode !== null, `"${waitFor}"`, 8 * 60 * 1000);
      expect(started.npm.exitCode).toBeNull();
      expect(processesOf(started.folder).length).toBeGreaterThan(0);

      started.npm.kill('SIGTERM');
      await started.exited;
      // Everything that started must be gone within n8n's own shutdown time.
      await until(() => processesOf(started.folder).length === 0, 'no process of the demo left', 45_000).catch(() => undefined);
      note(
        started
          .output()
          .split('\n')
          .filter((line) => line.includes('[demo]'))
          .slice(-4)
          .join('\n'),
      );
      expect(processesOf(started.folder)).toEqual([]);
      for (const port of [started.ports.n8n, started.ports.smpp, started.ports.http])
        expect({ port, taken: await isTaken(port) }).toEqual({ port, taken: false });
    },
    10 * 60 * 1000,
  );
});
