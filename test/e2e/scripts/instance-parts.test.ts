// The parts of scripts/n8n that do not need n8n itself: the environment of an instance, the user
// folder and its package link, the CLI output parser, and the REST and webhook clients against a
// local HTTP server that answers the way n8n does.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { callWebhookWhenLive, freePort, N8nRestClient, parseExecuteOutput } from '../../../scripts/n8n/instance';

type Env = Record<string, string>;
const { instanceEnv } = require('../../../scripts/n8n/instance-env') as {
  instanceEnv: (options: {
    userFolder: string;
    port: number;
    brokerPort: number;
    mode: string;
    databaseEnv: Env;
    env?: Record<string, string | undefined>;
  }) => Env;
};
const { prepareUserFolder } = require('../../../scripts/n8n/user-folder') as {
  prepareUserFolder: (options: { userFolder: string; packageDir?: string }) => { n8nFolder: string; packageLink: string | null };
};
const { databaseNameFor, postgresIsListening } = require('../../../scripts/n8n/postgres') as {
  databaseNameFor: (label: string) => string;
  postgresIsListening: (where: { host: string; port: number }, timeoutMs?: number) => Promise<boolean>;
};

async function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('instance environment', () => {
  const base = { userFolder: '/tmp/some-n8n-folder', port: 5700, brokerPort: 5701, databaseEnv: { DB_TYPE: 'sqlite' } };

  test('names the folder, ports and mode, and drops NODE_ENV=test that stops n8n from loading nodes', () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'test';
    try {
      const env = instanceEnv({ ...base, mode: 'regular' });
      expect(env).toMatchObject({
        NODE_ENV: 'production',
        N8N_USER_FOLDER: '/tmp/some-n8n-folder',
        N8N_PORT: '5700',
        N8N_RUNNERS_BROKER_PORT: '5701',
        EXECUTIONS_MODE: 'regular',
        N8N_DIAGNOSTICS_ENABLED: 'false',
        DB_TYPE: 'sqlite',
      });
      expect(env.QUEUE_BULL_PREFIX).toBeUndefined();
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  test('gives main and worker of one folder the same queue prefix, and another folder a different one', () => {
    const main = instanceEnv({ ...base, mode: 'queue-main' });
    const worker = instanceEnv({ ...base, mode: 'worker' });
    const other = instanceEnv({ ...base, userFolder: '/tmp/another-folder', mode: 'queue-main' });
    expect(main.QUEUE_BULL_PREFIX).toMatch(/^bull-[0-9a-f]{12}$/);
    expect(worker.QUEUE_BULL_PREFIX).toBe(main.QUEUE_BULL_PREFIX);
    expect(other.QUEUE_BULL_PREFIX).not.toBe(main.QUEUE_BULL_PREFIX);
    expect(main.N8N_REDIS_KEY_PREFIX).toMatch(/^n8n-[0-9a-f]{12}$/);
    expect(worker.N8N_REDIS_KEY_PREFIX).toBe(main.N8N_REDIS_KEY_PREFIX);
    expect(other.N8N_REDIS_KEY_PREFIX).not.toBe(main.N8N_REDIS_KEY_PREFIX);
    expect(worker).toMatchObject({ EXECUTIONS_MODE: 'queue', QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: '5700' });
  });

  test('lets the caller override or remove a variable', () => {
    const env = instanceEnv({ ...base, mode: 'regular', env: { N8N_LOG_LEVEL: 'debug', N8N_SECURE_COOKIE: undefined } });
    expect(env.N8N_LOG_LEVEL).toBe('debug');
    expect('N8N_SECURE_COOKIE' in env).toBe(false);
  });

  test('rejects an unknown mode and a port that is not a port, naming the field', () => {
    expect(() => instanceEnv({ ...base, mode: 'webhook' })).toThrow(/mode must be one of regular, queue-main, worker, got "webhook"/);
    expect(() => instanceEnv({ ...base, brokerPort: 70000, mode: 'regular' })).toThrow(/brokerPort must be a TCP port number/);
  });
});

describe('user folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-user-folder-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const makePackage = (name: string, folder: string): string => {
    const packageDir = path.join(dir, folder);
    fs.mkdirSync(packageDir, { recursive: true });
    fs.writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify({ name }));
    return packageDir;
  };

  test('links the package under its own name, keeps one encryption key, and follows a moved package', () => {
    const userFolder = path.join(dir, 'user');
    const first = makePackage('n8n-nodes-sms-gateway', 'clone-a');
    const { packageLink } = prepareUserFolder({ userFolder, packageDir: first });
    expect(packageLink).toBe(path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-sms-gateway'));
    expect(fs.realpathSync(packageLink as string)).toBe(fs.realpathSync(first));
    const key = fs.readFileSync(path.join(userFolder, '.n8n', 'config'), 'utf8');
    expect(JSON.parse(key).encryptionKey).toEqual(expect.any(String));

    const second = makePackage('n8n-nodes-sms-gateway', 'clone-b');
    prepareUserFolder({ userFolder, packageDir: second });
    expect(fs.realpathSync(packageLink as string)).toBe(fs.realpathSync(second));
    expect(fs.readFileSync(path.join(userFolder, '.n8n', 'config'), 'utf8')).toBe(key);
  });

  test('refuses a package name n8n would not scan, and a real folder where the link goes', () => {
    const userFolder = path.join(dir, 'user');
    expect(() => prepareUserFolder({ userFolder, packageDir: makePackage('sms-gateway', 'wrong') })).toThrow(
      /package name "sms-gateway" .* must start with "n8n-nodes-"/,
    );
    fs.mkdirSync(path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-sms-gateway'), { recursive: true });
    expect(() => prepareUserFolder({ userFolder, packageDir: makePackage('n8n-nodes-sms-gateway', 'ok') })).toThrow(/exists and is not a link/);
  });
});

describe('n8n execute output', () => {
  test('picks the run document out of the log lines around it', () => {
    const run = { data: { resultData: { runData: { Set: [{ data: { main: [[{ json: { a: { b: 1 } } }]] } }] } } }, status: 'success' };
    const stdout = ['Loading workflow {id}', JSON.stringify(run, null, 2), 'Shutting down {"file":"x"}', ''].join('\n');
    expect(parseExecuteOutput(stdout)).toEqual(run);
  });

  test('says so when there is no document', () => {
    expect(() => parseExecuteOutput('Execution was NOT successful\n')).toThrow(/no JSON document/);
  });
});

describe('REST and webhook clients', () => {
  test('keeps the n8n-auth cookie, sends the same browser-id, and unwraps { data }', async () => {
    const seen: Array<{ path: string; cookie?: string; browserId?: string }> = [];
    const server = await listen((request, response) => {
      seen.push({ path: request.url ?? '', cookie: request.headers.cookie, browserId: request.headers['browser-id'] as string });
      if (request.url === '/rest/login') {
        response.setHeader('set-cookie', 'n8n-auth=token-1; Path=/; HttpOnly; SameSite=Lax');
        response.end(JSON.stringify({ data: { email: 'o@example.com' } }));
      } else if (request.url === '/rest/workflows') {
        response.end(JSON.stringify({ data: [{ id: 'w1' }] }));
      } else {
        response.statusCode = 401;
        response.end(JSON.stringify({ status: 'error', message: 'Unauthorized' }));
      }
    });
    try {
      const client = new N8nRestClient(server.url);
      await expect(client.login('o@example.com', 'Secret123')).resolves.toEqual({ email: 'o@example.com' });
      await expect(client.get('/rest/workflows')).resolves.toEqual([{ id: 'w1' }]);
      await expect(client.get('/rest/other')).rejects.toMatchObject({ status: 401, message: expect.stringContaining('Unauthorized') });
      expect(seen.map((request) => request.cookie)).toEqual([undefined, 'n8n-auth=token-1', 'n8n-auth=token-1']);
      expect(new Set(seen.map((request) => request.browserId))).toEqual(new Set([client.browserId]));
    } finally {
      await server.close();
    }
  });

  test('sends a GET again when the server closed the socket it went out on, never a POST', async () => {
    // n8n closes idle keep-alive sockets; a request written as it does so fails "other side closed".
    let calls = 0;
    const server = await listen((request, response) => {
      calls += 1;
      if (calls === 1 || request.method === 'POST') {
        request.socket.destroy();
        return;
      }
      response.end(JSON.stringify({ data: [{ name: 'n8n-nodes-sms-gateway.sendSms' }] }));
    });
    try {
      const client = new N8nRestClient(server.url);
      await expect(client.get('/types/nodes.json')).resolves.toEqual([{ name: 'n8n-nodes-sms-gateway.sendSms' }]);
      expect(calls).toBe(2);
      await expect(client.post('/rest/workflows', {})).rejects.toThrow(/fetch failed/);
      expect(calls).toBe(3);
    } finally {
      await server.close();
    }
  });

  test('retries a webhook while n8n says it is not registered yet, then returns the real answer', async () => {
    let calls = 0;
    const server = await listen((_request, response) => {
      calls += 1;
      if (calls <= 2) {
        response.statusCode = 404;
        response.end(JSON.stringify({ code: 404, message: 'The requested webhook "POST hook" is not registered.' }));
      } else {
        response.end(JSON.stringify({ echo: 'hi' }));
      }
    });
    try {
      const answer = await callWebhookWhenLive(server.url, 'hook', { method: 'POST' });
      expect(answer).toEqual({ status: 200, body: JSON.stringify({ echo: 'hi' }) });
      expect(calls).toBe(3);
    } finally {
      await server.close();
    }
  });

  test('returns any other 404 at once instead of retrying it', async () => {
    let calls = 0;
    const server = await listen((_request, response) => {
      calls += 1;
      response.statusCode = 404;
      response.end('no such page');
    });
    try {
      await expect(callWebhookWhenLive(server.url, 'hook')).resolves.toEqual({ status: 404, body: 'no such page' });
      expect(calls).toBe(1);
    } finally {
      await server.close();
    }
  });
});

describe('PostgreSQL helpers', () => {
  test('derive a plain database name of at most 63 characters', () => {
    expect(databaseNameFor('E2E boot/run #7')).toBe('n8n_e2e_boot_run_7');
    expect(databaseNameFor('x'.repeat(100))).toHaveLength(63);
  });

  test('tell a listening port from a closed one', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      await expect(postgresIsListening({ host: '127.0.0.1', port })).resolves.toBe(true);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const closedPort = await freePort();
    await expect(postgresIsListening({ host: '127.0.0.1', port: closedPort })).resolves.toBe(false);
  });
});
