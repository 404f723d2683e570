// The demo as `npm start` runs it (scripts/start/demo.js), on free ports and a temporary user
// folder: n8n answers, our five nodes are loaded, the example workflows are imported and live, and
// they work against the sandbox SMSC (1,000-phone broadcast, two-factor login, notification with a
// delivery receipt). A second start on the same folder imports nothing and works at once.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { callWebhookWhenLive, dropInstanceDatabase, ensureN8n, freePort, type ProvisionedN8n } from '../../scripts/n8n/instance';
import { startDemo, type RunningDemo } from '../../scripts/start/demo';
import { FailureLog } from './support/failure-log';

const ROOT = path.resolve(__dirname, '..', '..');
const CAP_FIXTURE = path.join(ROOT, 'test', 'fixtures', 'cap', 'flood-extreme.xml');
const OUR_NODES = ['sendSms', 'bulkAlertBroadcast', 'otpIssue', 'otpVerify', 'smsTrigger'].map((name) => `n8n-nodes-sms-gateway.${name}`);
const EXAMPLE_IDS = ['smsDemoAlert0001', 'smsDemoOtpLogin1', 'smsDemoInbound01', 'smsDemoNotify001'];
const PHONE = '+447400123456';

const note = (line: string): void => {
  process.stderr.write(`[e2e demo] ${line}\n`);
};

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

describe('npm start: the demo with its example workflows', () => {
  const failures = new FailureLog();
  let provisioned: ProvisionedN8n;
  let userFolder = '';
  let demo: RunningDemo | undefined;
  // Fixed for both starts: the sandbox port is part of the imported credential.
  let sandboxPorts = { smppPort: 0, httpPort: 0 };
  const logFiles = new Set<string>();

  const running = (): RunningDemo => {
    if (!demo) throw new Error('the demo did not start (see the beforeAll error)');
    return demo;
  };

  async function post(webhookPath: string, body: string, contentType: string): Promise<Answer> {
    const answer = await callWebhookWhenLive(running().n8n.url, webhookPath, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: answer.status, json: JSON.parse(answer.body) as Record<string, unknown> };
  }

  /** The messages the sandbox accepted from this sender, by destination. */
  function sentBy(from: string): Array<{ to: string; text: string; priority: number }> {
    return running()
      .sandbox.smsc.store.list({ direction: 'mt' })
      .filter((m) => m.from === from)
      .map((m) => ({ to: m.to, text: m.text, priority: m.priority }));
  }

  beforeAll(
    async () => {
      provisioned = await ensureN8n({ log: note });
      userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-e2e-demo-'));
      sandboxPorts = { smppPort: await freePort(), httpPort: await freePort() };
      const started = Date.now();
      try {
        demo = await startDemo({ root: ROOT, userFolder, sandbox: sandboxPorts, provisioned, log: note });
        logFiles.add(demo.n8n.logFile);
      } catch (error) {
        failures.markFailed();
        throw error;
      }
      note(`demo started in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
    5 * 60 * 1000,
  );

  afterAll(async () => {
    if (demo) await demo.stop();
    for (const file of failures.saveIfFailed('demo', [...logFiles])) note(`n8n log kept in ${file}`);
    if (failures.hasFailed && userFolder) note(`demo user folder kept in ${userFolder}`);
    if (!failures.hasFailed && userFolder) {
      await dropInstanceDatabase({ provisioned, userFolder });
      fs.rmSync(userFolder, { recursive: true, force: true });
    }
  }, 90 * 1000);

  test(
    'n8n answers /healthz and lists our five nodes',
    failures.guard(async () => {
      const health = await fetch(`${running().n8n.url}/healthz`);
      expect({ status: health.status, body: await health.json() }).toEqual({ status: 200, body: { status: 'ok' } });
      const names = new Set((await running().client.nodeTypes()).map((type) => type.name));
      expect(OUR_NODES.filter((name) => !names.has(name))).toEqual([]);
    }),
  );

  test(
    'created the owner, imported the four examples and activated them, and prints where everything is',
    failures.guard(async () => {
      const current = running();
      expect(current.ownerCreated).toBe(true);
      expect(current.imports).toEqual({ imported: true, reason: 'first start' });
      expect(
        current.examples
          .map((example) => example.id)
          .filter((id) => EXAMPLE_IDS.includes(id))
          .sort(),
      ).toEqual([...EXAMPLE_IDS].sort());
      for (const id of EXAMPLE_IDS) {
        const workflow = await current.client.get<{ id: string; active: boolean }>(`/rest/workflows/${id}`);
        expect({ id: workflow.id, active: workflow.active }).toEqual({ id, active: true });
      }
      expect(current.activation.filter((result) => EXAMPLE_IDS.includes(result.id) && result.error)).toEqual([]);
      // Every example's credentials are the demo's own.
      const credentialIds = new Set(current.credentials.map((credential) => credential.id));
      for (const example of current.examples.filter((e) => EXAMPLE_IDS.includes(e.id))) {
        expect(example.credentialIds.filter((id) => !credentialIds.has(id))).toEqual([]);
      }
      const banner = current.banner().join('\n');
      expect(banner).toContain(`http://localhost:${current.n8n.port}/workflow/smsDemoAlert0001`);
      expect(banner).toContain(`curl -X POST http://localhost:${current.n8n.port}/webhook/emergency-alert`);
      expect(banner).toContain(`http://localhost:${current.sandbox.http?.port}/`);
      expect(banner).toContain(current.owner.password);
    }),
  );

  test(
    'example 1 sends a text alert to the 1,000 listed phones and answers with the summary',
    failures.guard(async () => {
      const text = 'Flood warning for the river district: move to higher ground now.';
      const answer = await post('emergency-alert', text, 'text/plain');
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ type: 'summary', total: 1000, accepted: 1000, failed: 0, invalid: 0, duplicatesRemoved: 0, parts: 1000 });

      const example = running().examples.find((e) => e.id === 'smsDemoAlert0001')!;
      const listed = String(example.workflow.nodes.find((n) => n.name === 'Broadcast Text Alert')!.parameters!.recipientList).split('\n');
      expect(listed).toHaveLength(1000);
      const received = sentBy('CityAlert').filter((m) => m.text === text);
      expect(received).toHaveLength(1000);
      expect(new Set(received.map((m) => `+${m.to}`))).toEqual(new Set(listed));

      // The same alert posted again (a double click, a client's retry): each phone keeps its one copy.
      const again = await post('emergency-alert', text, 'text/plain');
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({
        type: 'summary',
        total: 1000,
        accepted: 0,
        skippedAlreadySent: 1000,
        broadcastId: answer.json.broadcastId,
        idFrom: 'message',
      });
      expect(sentBy('CityAlert').filter((m) => m.text === text)).toHaveLength(1000);
    }),
    2 * 60 * 1000,
  );

  test(
    'example 1 sends a CAP 1.2 alert as its headline and instruction, with the CAP priority',
    failures.guard(async () => {
      const answer = await post('emergency-alert', fs.readFileSync(CAP_FIXTURE, 'utf8'), 'application/xml');
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ type: 'summary', capIdentifier: 'CITY-2026-11-26-0001', total: 1000, accepted: 1000, failed: 0 });
      const capText = 'Flash flood warning for the river district\nMove to higher ground now. Do not drive through water.';
      const received = sentBy('CityAlert').filter((m) => m.text === capText);
      expect(received).toHaveLength(1000);
      // Extreme + Immediate: priority 3.
      expect(new Set(received.map((m) => m.priority))).toEqual(new Set([3]));

      // The same CAP alert again (identifier and sender): nobody gets it twice.
      const again = await post('emergency-alert', fs.readFileSync(CAP_FIXTURE, 'utf8'), 'application/xml');
      expect(again.json).toMatchObject({
        accepted: 0,
        skippedAlreadySent: 1000,
        broadcastId: 'cap:emergency@city.example:CITY-2026-11-26-0001',
        idFrom: 'cap',
      });
      expect(sentBy('CityAlert').filter((m) => m.text === capText)).toHaveLength(1000);
    }),
    2 * 60 * 1000,
  );

  test(
    'example 1 refuses an empty body with 400 and sends nothing',
    failures.guard(async () => {
      const before = running().sandbox.smsc.stats.accepted;
      const answer = await post('emergency-alert', '', 'text/plain');
      expect(answer).toEqual({ status: 400, json: { error: 'Send the alert as the request body: plain text, or CAP 1.2 XML' } });
      expect(running().sandbox.smsc.stats.accepted).toBe(before);
    }),
  );

  test(
    'example 2 sends a login code by SMS, rejects a wrong code and approves the right one',
    failures.guard(async () => {
      const sent = await post('login-code', JSON.stringify({ phone: PHONE }), 'application/json');
      expect(sent.status).toBe(200);
      expect(sent.json).toMatchObject({ sent: true, to: PHONE, sendsLeft: 4 });
      const sms = sentBy('ACME').filter((m) => m.to === PHONE.slice(1));
      expect(sms).toHaveLength(1);
      const code = /code is (\d{6})\./.exec(sms[0].text)?.[1];
      expect(code).toMatch(/^\d{6}$/);

      const wrongCode = code === '000000' ? '111111' : '000000';
      const wrong = await post('login-verify', JSON.stringify({ phone: PHONE, code: wrongCode }), 'application/json');
      expect(wrong).toEqual({ status: 401, json: { approved: false, reason: 'invalid_code', attemptsLeft: 4 } });
      const right = await post('login-verify', JSON.stringify({ phone: PHONE, code }), 'application/json');
      expect(right).toEqual({ status: 200, json: { approved: true, to: PHONE } });
      // A code works once.
      const again = await post('login-verify', JSON.stringify({ phone: PHONE, code }), 'application/json');
      expect(again.status).toBe(401);
    }),
  );

  test(
    'example 2 answers 422 with the reason when the code cannot be sent',
    failures.guard(async () => {
      const answer = await post('login-code', JSON.stringify({ phone: 'not a number' }), 'application/json');
      expect(answer.status).toBe(422);
      expect(answer.json.sent).toBe(false);
      expect(String(answer.json.error)).toMatch(/not a number|phone/i);
    }),
  );

  test(
    'example 4 sends a notification and answers with its delivery receipt',
    failures.guard(async () => {
      const answer = await post('notify', JSON.stringify({ to: PHONE, message: 'Your parcel arrives today between 2 and 4 pm.' }), 'application/json');
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ to: PHONE, status: 'accepted', parts: 1, delivery: { status: 'DELIVRD' } });
      const sms = sentBy('ParcelCo').filter((m) => m.to === PHONE.slice(1));
      expect(sms.map((m) => m.text)).toEqual(['Your parcel arrives today between 2 and 4 pm.']);
    }),
  );

  test(
    'stops cleanly, and a second start on the same folder imports nothing and works',
    failures.guard(async () => {
      const first = running();
      expect(await first.stop()).toMatchObject({ forced: false });
      demo = undefined;
      const started = Date.now();
      demo = await startDemo({ root: ROOT, userFolder, sandbox: sandboxPorts, provisioned, log: note });
      logFiles.add(demo.n8n.logFile);
      note(`second start (nothing to import) took ${((Date.now() - started) / 1000).toFixed(1)} s`);
      expect(demo.ownerCreated).toBe(false);
      expect(demo.imports).toEqual({ imported: false, reason: 'examples and credentials unchanged since the last import' });
      expect(demo.activation.filter((result) => EXAMPLE_IDS.includes(result.id))).toEqual(
        expect.arrayContaining(EXAMPLE_IDS.map((id) => expect.objectContaining({ id, activated: false }))),
      );
      expect(demo.activation.filter((result) => result.error && EXAMPLE_IDS.includes(result.id))).toEqual([]);
      // One copy of each example, not one per start.
      const listed = (await demo.client.get<Array<{ id: string }>>('/rest/workflows')).map((workflow) => workflow.id).sort();
      expect(listed).toEqual(demo.examples.map((example) => example.id).sort());

      const answer = await post('notify', JSON.stringify({ to: PHONE, message: 'After a restart.' }), 'application/json');
      expect(answer.json).toMatchObject({ status: 'accepted', delivery: { status: 'DELIVRD' } });
    }),
    4 * 60 * 1000,
  );
  test(
    'a start with another sandbox port re-imports over the active workflows, and the SMS Trigger uses the new port',
    failures.guard(async () => {
      await running().stop();
      demo = undefined;
      sandboxPorts = { smppPort: await freePort(), httpPort: await freePort() };
      demo = await startDemo({ root: ROOT, userFolder, sandbox: sandboxPorts, provisioned, log: note });
      logFiles.add(demo.n8n.logFile);
      expect(demo.imports).toEqual({ imported: true, reason: 'examples or credentials changed' });
      expect(demo.activation.filter((result) => EXAMPLE_IDS.includes(result.id)).map((result) => [result.id, result.activated, result.error])).toEqual(
        expect.arrayContaining(EXAMPLE_IDS.map((id) => [id, true, undefined])),
      );
      const workflows = (await demo.client.get<Array<{ id: string }>>('/rest/workflows')).map((workflow) => workflow.id).sort();
      expect(workflows).toEqual(demo.examples.map((example) => example.id).sort());
      const credentials = (await demo.client.get<Array<{ id: string }>>('/rest/credentials')).map((credential) => credential.id).sort();
      expect(credentials).toEqual(demo.credentials.map((credential) => credential.id).sort());

      // The keyword workflow's trigger is bound to the new sandbox and answers HELP.
      const phone = '447400100500';
      const mo = await demo.sandbox.smsc.injectMo({ from: phone, to: '60777', text: 'HELP' });
      expect(mo.delivered).toBe(true);
      const deadline = Date.now() + 30_000;
      let replies: string[] = [];
      while (replies.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        replies = running()
          .sandbox.smsc.store.list({ direction: 'mt', to: phone })
          .map((m) => `${m.from}: ${m.text}`);
      }
      expect(replies).toEqual([expect.stringMatching(/^60777: City alerts: reply SAFE/)]);
    }),
    4 * 60 * 1000,
  );
});
