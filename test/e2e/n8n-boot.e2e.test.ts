// Boots the real n8n (provisioned into the cache folder) with this package linked the way a user's
// install places it, and checks the basics every other e2e test relies on: health, owner setup,
// our package scanned without errors (and its nodes listed once built), a workflow imported and
// executed through n8n's CLI, and a clean stop.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  dropInstanceDatabase,
  ensureN8n,
  parseExecuteOutput,
  setupOwner,
  startN8n,
  type N8nInstance,
  type N8nNodeTypeDescription,
  type N8nRestClient,
  type ProvisionedN8n,
} from '../../scripts/n8n/instance';
import { FailureLog } from './support/failure-log';
import { credentialTypeNames, nodeTypeNames, packageUnderTest } from './support/package-under-test';

const WORKFLOW_FILE = path.join(__dirname, 'fixtures', 'manual-set.workflow.json');
const WORKFLOW_ID = 'smsE2eBootSet001';
// A throwaway owner of a throwaway instance listening on 127.0.0.1 only.
const OWNER = {
  email: 'e2e-owner@example.com',
  password: 'E2e-Owner-Passw0rd',
  firstName: 'E2E',
  lastName: 'Owner',
};

const note = (line: string): void => {
  process.stderr.write(`[e2e n8n-boot] ${line}\n`);
};

describe('the real n8n with n8n-nodes-sms-gateway linked', () => {
  const failures = new FailureLog();
  const pkg = packageUnderTest();
  let provisioned: ProvisionedN8n;
  let userFolder = '';
  let instance: N8nInstance | undefined;
  let client: N8nRestClient | undefined;

  beforeAll(
    async () => {
      provisioned = await ensureN8n({ log: note });
      note(`n8n ${provisioned.n8nVersion} on Node ${provisioned.nodeVersion}, database ${provisioned.dbMode}`);
    },
    15 * 60 * 1000,
  );

  beforeAll(
    async () => {
      userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-e2e-boot-'));
      const started = Date.now();
      try {
        instance = await startN8n({
          userFolder,
          packageDir: pkg.dir,
          provisioned,
          // debug makes the loader say which packages it read.
          env: { N8N_LOG_LEVEL: 'debug' },
        });
        client = await setupOwner(instance.url, OWNER);
      } catch (error) {
        failures.markFailed();
        throw error;
      }
      note(`n8n started, ready and owner set up in ${((Date.now() - started) / 1000).toFixed(1)} s at ${instance.url}`);
    },
    4 * 60 * 1000,
  );

  afterAll(async () => {
    if (instance) await instance.stop();
    const saved = failures.saveIfFailed('n8n-boot', [path.join(userFolder, 'n8n-regular.log')]);
    for (const file of saved) note(`n8n log kept in ${file}`);
    if (failures.hasFailed && userFolder) note(`n8n user folder kept in ${userFolder}`);
    if (!failures.hasFailed && userFolder) {
      await dropInstanceDatabase({ provisioned, userFolder });
      fs.rmSync(userFolder, { recursive: true, force: true });
    }
  }, 60 * 1000);

  const running = (): N8nInstance => {
    if (!instance) throw new Error('n8n did not start (see the beforeAll error)');
    return instance;
  };
  const loggedIn = (): N8nRestClient => {
    if (!client) throw new Error('the owner setup in beforeAll did not log in');
    return client;
  };

  test(
    'answers /healthz and /healthz/readiness',
    failures.guard(async () => {
      for (const probe of ['/healthz', '/healthz/readiness']) {
        const response = await fetch(`${running().url}${probe}`);
        expect({ probe, status: response.status, body: await response.json() }).toEqual({
          probe,
          status: 200,
          body: { status: 'ok' },
        });
      }
    }),
  );

  test(
    'has the owner set up and logged in by cookie, and refuses a second owner setup',
    failures.guard(async () => {
      expect(loggedIn().authToken).toEqual(expect.any(String));
      const me = await loggedIn().get<{ email: string; role: string }>('/rest/login');
      expect(me.email).toBe(OWNER.email);
      await expect(setupOwner(running().url, { ...OWNER, email: 'second@example.com' })).rejects.toMatchObject({
        status: 400,
      });
    }),
  );

  test(
    'scans our package without errors and lists every node and credential it declares',
    failures.guard(async () => {
      const log = fs.readFileSync(running().logFile, 'utf8');
      expect(log).not.toMatch(new RegExp(`Failed to load package "${pkg.name}"`));
      expect(log).not.toMatch(new RegExp(`Skipping package[^\\n]*${pkg.name}`));
      // The package loader's own line proves the linked folder was read at all.
      expect(log).toMatch(new RegExp(`(Loaded all credentials and nodes|Lazy-loading nodes and credentials) from ${pkg.name}`));

      const nodeTypes = await loggedIn().nodeTypes();
      const ourNodeTypes = nodeTypes.map((type: N8nNodeTypeDescription) => type.name).filter((name) => name.startsWith(`${pkg.name}.`));
      const expectedNodes = pkg.declaredNodeFiles.flatMap((file) => nodeTypeNames(pkg.dir, file)).map((name) => `${pkg.name}.${name}`);
      expect([...new Set(ourNodeTypes)].sort()).toEqual([...new Set(expectedNodes)].sort());
      if (pkg.declaredNodeFiles.some((file) => file.endsWith('SendSms.node.js'))) {
        expect(ourNodeTypes).toContain('n8n-nodes-sms-gateway.sendSms');
      }

      const credentialTypes = await loggedIn().get<Array<{ name: string }>>('/types/credentials.json');
      const credentialNames = new Set(credentialTypes.map((type) => type.name));
      for (const file of pkg.declaredCredentialFiles) {
        for (const name of credentialTypeNames(pkg.dir, file)) expect(credentialNames).toContain(name);
      }
    }),
  );

  test(
    'imports a workflow and executes it with the n8n CLI while the server runs',
    failures.guard(async () => {
      const imported = await running().cli(['import:workflow', `--input=${WORKFLOW_FILE}`]);
      note(`n8n import:workflow took ${(imported.ms / 1000).toFixed(1)} s`);
      const executed = await running().cli(['execute', `--id=${WORKFLOW_ID}`, '--rawOutput']);
      note(`n8n execute took ${(executed.ms / 1000).toFixed(1)} s`);

      const run = parseExecuteOutput(executed.stdout);
      expect(run.data.resultData.error).toBeUndefined();
      const items = run.data.resultData.runData['Set greeting'][0].data?.main[0] ?? [];
      expect(items.map((item) => item.json)).toEqual([{ greeting: 'hello from the e2e boot test', answer: 42 }]);

      // The server sees the CLI's execution in the shared database.
      const executions = await loggedIn().executions(WORKFLOW_ID);
      expect(executions.results.map((execution) => [execution.workflowId, execution.mode, execution.status])).toEqual([[WORKFLOW_ID, 'cli', 'success']]);
    }),
    3 * 60 * 1000,
  );

  test(
    'stops on SIGTERM without needing SIGKILL',
    failures.guard(async () => {
      const stopped = await running().stop();
      expect(stopped).toMatchObject({ forced: false, code: 0 });
      await expect(fetch(`${running().url}/healthz`)).rejects.toThrow();
    }),
    60 * 1000,
  );
});
