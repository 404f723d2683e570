// The parts of `npm start` that need no n8n (scripts/start/*.js), and the example workflows read
// as files: every parameter they set exists on our built nodes, every credential is the demo's,
// the alert list holds 1,000 valid numbers. Fast: runs beside the e2e files that boot n8n.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { buildFreshness } from '../../scripts/start/build-freshness';
import { demoBanner } from '../../scripts/start/demo-banner';
import { DEMO_CREDENTIAL_IDS, demoCredentials } from '../../scripts/start/demo-credentials';
import { importFingerprint } from '../../scripts/start/demo-imports';
import { loadOrCreateSecrets } from '../../scripts/start/demo-secrets';
import { curlLines, SAMPLE_REQUESTS, shellQuote } from '../../scripts/start/example-requests';
import { loadExampleWorkflows, needsActivation } from '../../scripts/start/example-workflows';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES_DIR = path.join(ROOT, 'examples');
const OUR_PACKAGE = 'n8n-nodes-sms-gateway';
const BUILT_NODES: Record<string, string> = {
  sendSms: 'dist/nodes/SendSms/SendSms.node.js',
  bulkAlertBroadcast: 'dist/nodes/BulkAlertBroadcast/BulkAlertBroadcast.node.js',
  otpIssue: 'dist/nodes/OtpIssue/OtpIssue.node.js',
  otpVerify: 'dist/nodes/OtpVerify/OtpVerify.node.js',
  smsTrigger: 'dist/nodes/SmsTrigger/SmsTrigger.node.js',
};
const DEMO_EXAMPLES = ['smsDemoAlert0001', 'smsDemoInbound01', 'smsDemoNotify001', 'smsDemoOtpLogin1'];

interface Property {
  name: string;
  type: string;
  options?: Array<{ name: string; value?: unknown }>;
}
interface WorkflowNode {
  id: string;
  name: string;
  type: string;
  webhookId?: string;
  parameters?: Record<string, unknown>;
  credentials?: Record<string, { id: string; name: string }>;
}

/** The parameters our built node declares (the description n8n reads from dist/). */
function builtProperties(typeName: string): Property[] {
  const exported = require(path.join(ROOT, BUILT_NODES[typeName])) as Record<string, new () => { description: { properties: Property[] } }>;
  const NodeClass = Object.values(exported).find((value) => typeof value === 'function');
  if (!NodeClass) throw new Error(`${BUILT_NODES[typeName]} exports no node class`);
  return new NodeClass().description.properties;
}

/** Parameter names an example sets that the node does not declare ("options.x" for collection entries). */
function unknownParameters(node: WorkflowNode): string[] {
  const properties = builtProperties(node.type.slice(OUR_PACKAGE.length + 1));
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(node.parameters ?? {})) {
    const declared = properties.filter((property) => property.name === name);
    if (declared.length === 0) {
      unknown.push(name);
      continue;
    }
    const collection = declared.find((property) => property.type === 'collection');
    if (collection && value && typeof value === 'object') {
      const entries = new Set((collection.options ?? []).map((option) => option.name));
      for (const key of Object.keys(value)) if (!entries.has(key)) unknown.push(`${name}.${key}`);
    }
  }
  return unknown;
}

function tempFolder(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `sms-gateway-demo-parts-${label}-`));
}

describe('the example workflows (examples/*.json)', () => {
  const { examples, skipped } = loadExampleWorkflows(EXAMPLES_DIR);
  const demoExamples = examples.filter((example) => DEMO_EXAMPLES.includes(example.id));
  const nodesOf = (id: string): WorkflowNode[] => examples.find((example) => example.id === id)!.workflow.nodes as WorkflowNode[];

  test('the four demo examples load with fixed ids; only files without an id are skipped', () => {
    expect(demoExamples.map((example) => example.id).sort()).toEqual([...DEMO_EXAMPLES].sort());
    for (const { file } of skipped) expect(JSON.parse(fs.readFileSync(file, 'utf8')).id).toBeUndefined();
    expect(demoExamples.every(needsActivation)).toBe(true);
    const paths = demoExamples.flatMap((example) => example.webhooks.map((hook) => `${hook.method} ${hook.path}`)).sort();
    expect(paths).toEqual(['POST emergency-alert', 'POST login-code', 'POST login-verify', 'POST notify']);
    expect(examples.find((example) => example.id === 'smsDemoInbound01')!.hasSmsTrigger).toBe(true);
  });

  test('every parameter they set on our nodes exists on the built node', () => {
    const unknown = demoExamples.flatMap((example) =>
      (example.workflow.nodes as WorkflowNode[])
        .filter((node) => node.type.startsWith(`${OUR_PACKAGE}.`))
        .flatMap((node) => unknownParameters(node).map((name) => `${example.id} / ${node.name}: ${name}`)),
    );
    expect(unknown).toEqual([]);
  });

  test('they use only n8n base nodes and our five, reference the demo credentials, and have unique ids', () => {
    const demoIds = new Map([
      ['smppApi', DEMO_CREDENTIAL_IDS.sandboxSmpp],
      ['smsOtpApi', DEMO_CREDENTIAL_IDS.otpSettings],
      ['smsGatewayRedisApi', DEMO_CREDENTIAL_IDS.redis],
    ]);
    const webhookIds: string[] = [];
    for (const example of demoExamples) {
      const nodes = example.workflow.nodes as WorkflowNode[];
      expect(new Set(nodes.map((node) => node.id)).size).toBe(nodes.length);
      expect(new Set(nodes.map((node) => node.name)).size).toBe(nodes.length);
      for (const node of nodes) {
        const ours = Object.keys(BUILT_NODES).map((name) => `${OUR_PACKAGE}.${name}`);
        expect({ node: node.name, known: node.type.startsWith('n8n-nodes-base.') || ours.includes(node.type) }).toEqual({ node: node.name, known: true });
        for (const [type, reference] of Object.entries(node.credentials ?? {})) {
          expect({ node: node.name, type, id: reference.id }).toEqual({ node: node.name, type, id: demoIds.get(type) });
        }
        if (node.webhookId) webhookIds.push(node.webhookId);
      }
      // Every connection joins nodes that exist.
      const names = new Set(nodes.map((node) => node.name));
      const connections = example.workflow.connections as Record<string, { main: Array<Array<{ node: string }>> }>;
      for (const [from, outputs] of Object.entries(connections)) {
        expect(names.has(from)).toBe(true);
        for (const target of outputs.main.flat())
          expect({ from, to: target.node, exists: names.has(target.node) }).toEqual({ from, to: target.node, exists: true });
      }
    }
    expect(new Set(webhookIds).size).toBe(webhookIds.length);
  });

  test('the alert goes to 1,000 distinct, valid UK mobile numbers, the same list on both broadcast nodes', () => {
    const broadcasts = nodesOf('smsDemoAlert0001').filter((node) => node.type === `${OUR_PACKAGE}.bulkAlertBroadcast`);
    expect(broadcasts.map((node) => node.name).sort()).toEqual(['Broadcast CAP Alert', 'Broadcast Text Alert']);
    const lists = broadcasts.map((node) => String(node.parameters!.recipientList));
    expect(lists[0]).toBe(lists[1]);
    const numbers = lists[0].split('\n');
    expect(new Set(numbers).size).toBe(1000);
    const bad = numbers.filter((number) => {
      const phone = parsePhoneNumberFromString(number);
      return !phone || !phone.isValid() || phone.country !== 'GB' || phone.getType() !== 'MOBILE';
    });
    expect(bad).toEqual([]);
  });

  test('the numbers in the sample requests are valid for the OTP default country (GB)', () => {
    const phones = Object.values(SAMPLE_REQUESTS)
      .flat()
      .flatMap((sample) => (sample.data ? [...sample.data.matchAll(/\+\d{8,15}/g)].map((match) => match[0]) : []));
    expect(phones.length).toBeGreaterThan(0);
    for (const phone of phones) expect({ phone, country: parsePhoneNumberFromString(phone)?.country }).toEqual({ phone, country: 'GB' });
  });
});

describe('loadExampleWorkflows', () => {
  const write = (dir: string, file: string, content: unknown): void => {
    fs.writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
  };
  const workflow = (id: string | undefined, name = 'W'): Record<string, unknown> => ({
    ...(id === undefined ? {} : { id }),
    name,
    nodes: [{ id: 'n1', name: 'Hook', type: 'n8n-nodes-base.webhook', parameters: { httpMethod: 'POST', path: 'p' } }],
    connections: {},
  });

  test('skips a file without an id, and says why', () => {
    const dir = tempFolder('skip');
    write(dir, 'a.json', workflow('idA'));
    write(dir, 'b.json', workflow(undefined));
    const { examples, skipped } = loadExampleWorkflows(dir);
    expect(examples.map((e) => e.id)).toEqual(['idA']);
    expect(skipped).toEqual([{ file: path.join(dir, 'b.json'), reason: expect.stringContaining('no fixed "id"') }]);
    fs.rmSync(dir, { recursive: true });
  });

  test('refuses two files with one id, naming both', () => {
    const dir = tempFolder('dup');
    write(dir, 'a.json', workflow('same'));
    write(dir, 'b.json', workflow('same'));
    expect(() => loadExampleWorkflows(dir)).toThrow(/b\.json and a\.json share the workflow id "same"|a\.json and b\.json share the workflow id "same"/);
    fs.rmSync(dir, { recursive: true });
  });

  test('names a file that is not JSON, an id that is not alphanumeric, and a webhook without a fixed path', () => {
    const dir = tempFolder('bad');
    write(dir, 'broken.json', '{ "id": ');
    expect(() => loadExampleWorkflows(dir)).toThrow(/broken\.json is not valid JSON/);
    fs.rmSync(path.join(dir, 'broken.json'));
    write(dir, 'odd.json', workflow('has space'));
    expect(() => loadExampleWorkflows(dir)).toThrow(/odd\.json: "id" must be a fixed alphanumeric workflow id/);
    fs.rmSync(path.join(dir, 'odd.json'));
    write(dir, 'hook.json', {
      ...workflow('okId'),
      nodes: [{ id: 'n', name: 'Hook', type: 'n8n-nodes-base.webhook', parameters: { path: '={{ $json.p }}' } }],
    });
    expect(() => loadExampleWorkflows(dir)).toThrow(/hook\.json: webhook node "Hook" needs a fixed path/);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('demo credentials, secrets and import fingerprint', () => {
  const account = { systemId: 'sandbox', password: 'sandbox' };
  const key = 'k'.repeat(64);

  test('point the SMPP credential at the sandbox and add Redis only when it answers', () => {
    const without = demoCredentials({ smppPort: 2775, account, otpServerKey: key });
    expect(without.map((c) => [c.id, c.type])).toEqual([
      [DEMO_CREDENTIAL_IDS.sandboxSmpp, 'smppApi'],
      [DEMO_CREDENTIAL_IDS.otpSettings, 'smsOtpApi'],
    ]);
    expect(without[0].data).toMatchObject({ host: '127.0.0.1', port: 2775, systemId: 'sandbox', password: 'sandbox', bindMode: 'transceiver' });
    expect(without[1].data).toMatchObject({ serverKey: key });
    const withRedis = demoCredentials({ smppPort: 2775, account, otpServerKey: key, redis: { host: '127.0.0.1', port: 6379 } });
    expect(withRedis.map((c) => c.type)).toEqual(['smppApi', 'smsOtpApi', 'smsGatewayRedisApi']);
  });

  test('refuse a port that is not one and a short OTP key, naming the field', () => {
    expect(() => demoCredentials({ smppPort: 0, account, otpServerKey: key })).toThrow(/smppPort must be the sandbox's SMPP port \(1-65535\), got 0/);
    expect(() => demoCredentials({ smppPort: 2775, account, otpServerKey: 'short' })).toThrow(/otpServerKey must be a string of at least 16 characters/);
  });

  test('secrets are made once per folder (owner-only file, a password n8n accepts) and reused', () => {
    const dir = tempFolder('secrets');
    const first = loadOrCreateSecrets(dir);
    expect(first.created).toBe(true);
    expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
    const { password } = first.secrets.owner;
    expect(password.length >= 8 && password.length <= 64 && /\d/.test(password) && /[A-Z]/.test(password)).toBe(true);
    expect(first.secrets.otpServerKey).toMatch(/^[0-9a-f]{64}$/);
    const second = loadOrCreateSecrets(dir);
    expect(second).toEqual({ ...first, created: false });
    const other = tempFolder('other');
    expect(loadOrCreateSecrets(other).secrets.owner.password).not.toBe(password);
    fs.rmSync(other, { recursive: true });
    fs.writeFileSync(first.file, '{');
    expect(() => loadOrCreateSecrets(dir)).toThrow(/demo-secrets\.json is not valid JSON/);
    fs.rmSync(dir, { recursive: true });
  });

  test('the import fingerprint changes with the sandbox port and with a workflow, and only then', () => {
    const examples = [{ workflow: { id: 'a', nodes: [1] } }];
    const base = importFingerprint(demoCredentials({ smppPort: 2775, account, otpServerKey: key }), examples);
    expect(importFingerprint(demoCredentials({ smppPort: 2775, account, otpServerKey: key }), examples)).toBe(base);
    expect(importFingerprint(demoCredentials({ smppPort: 2776, account, otpServerKey: key }), examples)).not.toBe(base);
    expect(importFingerprint(demoCredentials({ smppPort: 2775, account, otpServerKey: key }), [{ workflow: { id: 'a', nodes: [2] } }])).not.toBe(base);
  });
});

describe('what npm start prints', () => {
  test('curl lines quote the body for a POSIX shell', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    const [line] = curlLines('http://localhost:5678/webhook/notify', { method: 'POST', path: 'notify' });
    expect(line.command).toBe(
      `curl -X POST http://localhost:5678/webhook/notify -H 'Content-Type: application/json' --data '{"to": "+447400123456", "message": "Your parcel arrives today between 2 and 4 pm."}'`,
    );
    expect(curlLines('http://h/webhook/other', { method: 'get', path: 'other' })).toEqual([{ what: 'call it', command: 'curl -X GET http://h/webhook/other' }]);
  });

  test('the banner shows the password on the first start only and says which examples are not active', () => {
    const info = {
      editorUrl: 'http://localhost:5678',
      inboxUrl: 'http://localhost:8025/',
      smppHost: 'localhost',
      smppPort: 2775,
      account: { systemId: 'sandbox' },
      owner: { email: 'demo@example.com', password: 'Demo-secret-7K' },
      ownerCreated: true,
      secretsFile: '.n8n-demo/demo-secrets.json',
      examples: [
        { id: 'w1', name: 'One', webhooks: [{ method: 'POST', path: 'notify' }], hasSmsTrigger: false },
        { id: 'w2', name: 'Two', webhooks: [], hasSmsTrigger: true },
      ],
      activation: [{ id: 'w2', error: 'boom' }],
      skipped: [],
      redis: false,
    };
    const first = demoBanner(info).join('\n');
    expect(first).toContain('log in as demo@example.com / Demo-secret-7K');
    expect(first).toContain('http://localhost:5678/workflow/w1');
    expect(first).toContain('curl -X POST http://localhost:5678/webhook/notify');
    expect(first).toContain('NOT ACTIVE: boom');
    const later = demoBanner({ ...info, ownerCreated: false }).join('\n');
    expect(later).not.toContain('Demo-secret-7K');
    expect(later).toContain('password in .n8n-demo/demo-secrets.json');
  });
});

describe('buildFreshness', () => {
  function fakeProject(): string {
    const dir = tempFolder('build');
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ n8n: { nodes: ['dist/nodes/X.node.js'], credentials: [] } }));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'a.ts'), '');
    return dir;
  }
  const setTime = (file: string, seconds: number): void => fs.utimesSync(file, seconds, seconds);

  test('stale while a built file is missing, then by mtime: fresh only when dist is newer than every source', () => {
    const dir = fakeProject();
    expect(buildFreshness(dir)).toEqual({ fresh: false, reason: 'dist/nodes/X.node.js is missing' });
    fs.mkdirSync(path.join(dir, 'dist', 'nodes'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'dist', 'src', 'sandbox'), { recursive: true });
    const built = [path.join(dir, 'dist', 'nodes', 'X.node.js'), path.join(dir, 'dist', 'src', 'sandbox', 'cli.js')];
    for (const file of built) fs.writeFileSync(file, '');
    for (const file of built) setTime(file, 2_000_000);
    setTime(path.join(dir, 'package.json'), 1_000_000);
    setTime(path.join(dir, 'src', 'a.ts'), 1_000_000);
    expect(buildFreshness(dir).fresh).toBe(true);
    setTime(path.join(dir, 'src', 'a.ts'), 3_000_000);
    expect(buildFreshness(dir)).toEqual({ fresh: false, reason: 'sources changed since the last build' });
    fs.rmSync(dir, { recursive: true });
  });
});
