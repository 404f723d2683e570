// What an operator sees of the gateway in the real n8n, regular or queue mode (one n8n per test
// file; metrics-regular / metrics-queue call this): with N8N_METRICS=true, after a broadcast, an OTP
// round and an SMS Trigger event, a real Prometheus scraping main and workers returns the counts the
// sandbox SMSC saw; after the sandbox drops the link, one reconnect, and n8n's own log file says
// link down / reconnecting / bound again naming the credential, with no password, code or key in any line.
// In regular mode a second Prometheus scrapes the fallback listener (SMS_GATEWAY_METRICS_PORT) too.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type { SandboxSmsc } from '../../../src/sandbox/sandbox-smsc';
import { Status } from '../../../src/transport/smpp/command-status';
import { createCredential, createPublishedWorkflow, postJson, workflowFixture } from './n8n-resources';
import type { CredentialRef } from './n8n-resources';
import { freePort } from '../../../scripts/n8n/instance';
import { jsonLogFileOf, N8nUnderTest } from './n8n-under-test';
import { PrometheusServer } from './prometheus-server';
import { deleteRedisKeys, tpsBudgetKeyPrefix } from './redis-keys';
import { eventually, messagesTo, smppCredentialData, startE2eSandbox, ukMobiles, within } from './sms-sandbox';

const SMPP_NAME = 'Carrier A (metrics)';
const OTP_NAME = 'OTP settings';
const CODE_SMS = /^Your E2E Shop code is (\d{6})\. It expires in 10 minutes\.$/;
/** Broadcast: 20 numbers of which 2 the carrier refuses and 3 never reach the handset, plus one that is no number. */
const BROADCAST = ukMobiles(20, 260_000);
const REFUSED = BROADCAST.slice(0, 2);
const UNDELIVERABLE = BROADCAST.slice(2, 5);
const NOT_A_NUMBER = '+44 12';

/** One line of n8n's JSON log file (winston: level, message, metadata). */
interface LogLine {
  level: string;
  message: string;
  metadata?: Record<string, unknown>;
  timestamp?: string;
}

export function observabilitySuite(mode: 'regular' | 'queue'): void {
  const label = `metrics-${mode}`;
  const account = { systemId: `e2em${mode.slice(0, 3)}`, password: `Pw-${randomBytes(6).toString('hex')}` };
  const redisPrefix = `sms-e2e-${randomBytes(6).toString('hex')}:`;
  const note = (line: string): void => {
    process.stderr.write(`[e2e ${label}] ${line}\n`);
  };
  /** Secrets that must never reach a log line: the carrier password, the OTP server key, the code sent. */
  const secrets: string[] = [account.password];
  const binds: string[] = [];

  describe(`${mode} mode with N8N_METRICS=true: a real Prometheus scrapes the gateway; n8n's log tells the link's story`, () => {
    let n8n: N8nUnderTest | undefined;
    let smsc: SandboxSmsc;
    let prometheus: PrometheusServer | undefined;
    /** Regular mode: a second Prometheus scraping our own listener (SMS_GATEWAY_METRICS_PORT), the fallback to n8n's /metrics. */
    let fallback: PrometheusServer | undefined;
    const smppData: Record<string, unknown> = {};

    beforeAll(
      async () => {
        smsc = await startE2eSandbox([account]);
        smsc.options.receipt = { outcome: 'DELIVRD', delayMs: 50, undeliveredTo: UNDELIVERABLE.map((p) => p.slice(1)) };
        smsc.setFaults({ failDestinations: REFUSED.map((p) => p.slice(1)), failStatus: Status.invalidDestination });
        smsc.on('bound', ({ mode: bindMode }) => binds.push(bindMode));
        // One process, so one port is enough (in queue mode every process would need its own).
        const fallbackPort = mode === 'regular' ? await freePort() : undefined;
        n8n = await N8nUnderTest.start({
          label,
          mode,
          workers: 2,
          note,
          jsonLogFiles: true,
          // Debug: the most n8n and the gateway write, all of it checked for secrets. A sender's bind
          // closes half a second after its execution, so only the trigger's bind is open when the link drops.
          env: { N8N_METRICS: 'true', N8N_LOG_LEVEL: 'debug', SMS_GATEWAY_IDLE_CLOSE_MS: '500', SMS_GATEWAY_METRICS_PORT: fallbackPort?.toString() },
        });
        await n8n.guard(async () => {
          const { client } = n8n!;
          const serverKey = randomBytes(32).toString('hex');
          secrets.push(serverKey);
          // Queue mode as the README sets it up: workers bind as transmitters, the trigger on the main as receiver; state in Redis.
          Object.assign(smppData, smppCredentialData(smsc, account, mode === 'queue' ? { bindMode: 'transmitter' } : {}));
          const credentials: CredentialRef[] = [
            await createCredential(client, SMPP_NAME, 'smppApi', smppData),
            await createCredential(client, OTP_NAME, 'smsOtpApi', { serverKey, defaultCountry: 'GB', appName: 'E2E Shop' }),
          ];
          const state: Record<string, unknown> = {};
          if (mode === 'queue') {
            credentials.push(await createCredential(client, 'Redis', 'smsGatewayRedisApi', { host: '127.0.0.1', port: 6379, keyPrefix: redisPrefix }));
            state.stateStore = 'redis';
          }
          await createPublishedWorkflow(
            client,
            workflowFixture('broadcast.workflow.json', {
              credentials,
              parameters: { 'Bulk Alert Broadcast': { ...state, options: { requestReceipt: true } } },
            }),
          );
          await createPublishedWorkflow(client, workflowFixture('otp-issue.workflow.json', { credentials, parameters: { 'OTP Issue': state } }));
          await createPublishedWorkflow(client, workflowFixture('otp-verify.workflow.json', { credentials, parameters: { 'OTP Verify': state } }));
          await createPublishedWorkflow(
            client,
            workflowFixture('sms-reply.workflow.json', {
              credentials,
              parameters: mode === 'queue' ? { 'SMS Trigger': { options: { bindMode: 'receiver' } } } : {},
            }),
          );
          await eventually(() => binds.length > 0, 'the SMS Trigger to bind');
          prometheus = await PrometheusServer.start(
            [
              { address: `127.0.0.1:${n8n!.main.port}`, role: 'main' },
              ...n8n!.workers.map((worker) => ({ address: `127.0.0.1:${worker.port}`, role: 'worker' })),
            ],
            note,
          );
          await prometheus.waitForTargetsUp(1 + n8n!.workers.length);
          if (fallbackPort) {
            fallback = await PrometheusServer.start([{ address: `127.0.0.1:${fallbackPort}`, role: 'fallback' }], note);
            await fallback.waitForTargetsUp(1);
          }
        })();
      },
      6 * 60 * 1000,
    );

    afterAll(
      async () => {
        await prometheus?.stop(n8n?.failures.hasFailed);
        await fallback?.stop();
        if (n8n?.failures.hasFailed && prometheus) note(`prometheus folder kept in ${prometheus.dir}`);
        await n8n?.shutdown();
        await smsc?.stop();
        if (mode === 'queue') {
          await deleteRedisKeys(redisPrefix);
          if (smppData.port) await deleteRedisKeys(tpsBudgetKeyPrefix(smppData));
        }
      },
      2 * 60 * 1000,
    );

    const running = (): { n8n: N8nUnderTest; prometheus: PrometheusServer } => {
      if (!n8n || !prometheus) throw new Error('n8n or prometheus did not start (see the beforeAll error)');
      return { n8n, prometheus };
    };

    test(
      "after a broadcast, an OTP round and an SMS Trigger event, Prometheus has the sandbox's counts from n8n's /metrics",
      async () => {
        const { n8n, prometheus } = running();
        await n8n.guard(async () => {
          const broadcast = await postJson(n8n.main.url, 'sms-e2e-broadcast', {
            recipients: [...BROADCAST, NOT_A_NUMBER].join('\n'),
            text: 'Boil water before drinking.',
            broadcastId: `e2e-${label}-${redisPrefix}`,
          });
          expect(broadcast.json).toMatchObject({ type: 'summary', total: 21, accepted: 18, failed: 2, invalid: 1 });

          const [phone, texter] = ukMobiles(2, 261_000);
          const issued = await postJson(n8n.main.url, 'sms-e2e-otp-issue', { phone });
          expect(issued.json).toMatchObject({ to: phone, status: 'pending', sendCount: 1 });
          const code = CODE_SMS.exec(messagesTo(smsc, phone)[0]?.text ?? '')?.[1];
          if (!code) throw new Error(`no code SMS reached ${phone}: ${JSON.stringify(messagesTo(smsc, phone))}`);
          secrets.push(code);
          const wrongCode = code.slice(0, 5) + String((Number(code[5]) + 1) % 10);
          expect((await postJson(n8n.main.url, 'sms-e2e-otp-verify', { phone, code: wrongCode })).json).toMatchObject({
            approved: false,
            reason: 'invalid_code',
          });
          expect((await postJson(n8n.main.url, 'sms-e2e-otp-verify', { phone, code })).json).toMatchObject({ approved: true });

          expect(await within(smsc.injectMo({ from: texter, to: '81234', text: 'Is the water safe?' }), 'n8n to take the text')).toEqual({
            parts: 1,
            delivered: true,
          });
          await eventually(() => messagesTo(smsc, texter).length === 1, `the SMS Trigger's reply to ${texter}`);
          // Only the broadcast asked for receipts: one for each of its 18 accepted messages.
          await eventually(() => smsc.stats.receiptsSent === 18, 'the 18 receipts of the broadcast to be delivered');

          // What the sandbox saw is the reference.
          const receiptStates: Record<string, number> = {};
          for (const message of smsc.store.list({ direction: 'mt' })) {
            if (message.delivery) receiptStates[message.delivery.status] = (receiptStates[message.delivery.status] ?? 0) + 1;
          }
          expect(receiptStates).toEqual({ DELIVRD: 15, UNDELIV: 3 });
          // 18 + 2 refused of the broadcast, the OTP code, the reply.
          expect({ submits: smsc.stats.submits, accepted: smsc.stats.accepted, refused: smsc.stats.failed }).toEqual({ submits: 22, accepted: 20, refused: 2 });

          const submits = { ESME_ROK: smsc.stats.accepted, ESME_RINVDSTADR: smsc.stats.failed };
          await prometheus.expectEventually('sum by (result) (sms_gateway_smpp_submits_total)', 'result', submits);
          await prometheus.expectEventually('sum(sms_gateway_smpp_submits_total)', '', { '': smsc.stats.submits });
          await prometheus.expectEventually('sum by (state) (sms_gateway_receipts_total)', 'state', receiptStates);
          await prometheus.expectEventually('sum by (country) (sms_gateway_receipts_total)', 'country', { GB: 18 });
          await prometheus.expectEventually('sum by (outcome) (sms_gateway_broadcast_recipients_total)', 'outcome', { accepted: 18, failed: 2, invalid: 1 });
          await prometheus.expectEventually('sum by (credential) (sms_gateway_otp_issued_total)', 'credential', { [OTP_NAME]: 1 });
          await prometheus.expectEventually('sum by (result) (sms_gateway_otp_verifications_total)', 'result', { approved: 1, invalid_code: 1 });
          await prometheus.expectEventually('sum by (credential) (sms_gateway_mo_messages_total)', 'credential', { [SMPP_NAME]: 1 });
          await prometheus.expectEventually('sum by (credential) (sms_gateway_smpp_submit_latency_seconds_count)', 'credential', { [SMPP_NAME]: 22 });
          await prometheus.expectEventually('sum(sms_gateway_smpp_reconnects_total)', '', { '': 0 });

          if (fallback) {
            // Our own listener serves the same numbers as n8n's /metrics.
            await fallback.expectEventually('sum by (result) (sms_gateway_smpp_submits_total)', 'result', submits);
            await fallback.expectEventually('sum by (state) (sms_gateway_receipts_total)', 'state', receiptStates);
            await fallback.expectEventually('sum by (result) (sms_gateway_otp_verifications_total)', 'result', { approved: 1, invalid_code: 1 });
          }
          if (mode === 'queue') {
            // Executions ran on the workers: what they sent is on the workers' /metrics, what came in on the main's.
            await prometheus.expectEventually('sum by (role) (sms_gateway_smpp_submits_total)', 'role', { worker: 22 });
            await prometheus.expectEventually('sum by (role) (sms_gateway_receipts_total)', 'role', { main: 18 });
            await prometheus.expectEventually('sum by (role) (sms_gateway_mo_messages_total)', 'role', { main: 1 });
          }
        })();
      },
      3 * 60 * 1000,
    );

    test(
      "the sandbox drops the link: one reconnect in Prometheus; n8n's log says down, reconnecting, bound again, naming the credential and no secret",
      async () => {
        const { n8n, prometheus } = running();
        await n8n.guard(async () => {
          const mainLog = jsonLogFileOf(n8n.main.logFile);
          // Healthy until now: the gateway wrote nothing at info or above (the first binds are debug).
          const healthy = gatewayLines(readJsonLog(mainLog));
          expect(healthy.length).toBeGreaterThan(0);
          expect(healthy.filter((line) => line.level !== 'debug').map((line) => line.message)).toEqual([]);

          // The senders' binds closed when idle: only the trigger's is open, so one drop is one reconnect.
          await eventually(() => smsc.sessionCount === 1, "only the SMS Trigger's bind to be open");
          const before = readJsonLog(mainLog).length;
          const bindsBefore = binds.length;
          expect(smsc.dropConnections()).toBe(1);
          await eventually(() => binds.length > bindsBefore, 'the SMS Trigger to bind again');
          await prometheus.expectEventually('sum by (credential) (sms_gateway_smpp_reconnects_total)', 'credential', { [SMPP_NAME]: 1 });
          await prometheus.expectEventually('sum by (credential) (sms_gateway_smpp_bound)', 'credential', { [SMPP_NAME]: 1 });

          await eventually(
            () => gatewayLines(readJsonLog(mainLog).slice(before)).some((line) => line.message.includes('again after the link dropped')),
            'the line of the bind regained',
          );
          const lines = gatewayLines(readJsonLog(mainLog).slice(before));
          const who = `"${SMPP_NAME}"`;
          const bindMode = mode === 'queue' ? 'receiver' : 'transceiver';
          // "SANDBOX" is the system_id the sandbox SMSC answers a bind with (the carrier's, not our account's).
          expect(lines.map((line) => [line.level, line.message])).toEqual([
            ['warn', expect.stringMatching(new RegExp(`^SMS Gateway: SMPP ${escape(who)} link down: .+`))],
            ['warn', expect.stringMatching(new RegExp(`^SMS Gateway: SMPP ${escape(who)} reconnecting \\(attempt 1, in \\d+ ms\\) after: .+`))],
            ['info', `SMS Gateway: SMPP ${who} bound as ${bindMode} to the carrier's system "SANDBOX" (no TLS) again after the link dropped`],
          ]);
          // Log collectors read the facts from the metadata too.
          expect(lines.map((line) => [line.metadata?.event, line.metadata?.credential])).toEqual([
            ['smpp.unbound', SMPP_NAME],
            ['smpp.reconnecting', SMPP_NAME],
            ['smpp.bound', SMPP_NAME],
          ]);

          // Every line every process wrote, console and file, at debug.
          const files = [n8n.main, ...n8n.workers].flatMap((instance) => [instance.logFile, jsonLogFileOf(instance.logFile)]);
          for (const file of files) {
            const text = fs.readFileSync(file, 'utf8');
            expect(text.length).toBeGreaterThan(0);
            for (const secret of secrets) {
              const leaks = text.split('\n').filter((line) => line.includes(secret));
              expect({ file, secret: secret.slice(0, 2) + '…', leaks }).toEqual({ file, secret: secret.slice(0, 2) + '…', leaks: [] });
            }
          }
        })();
      },
      2 * 60 * 1000,
    );
  });
}

function readJsonLog(file: string): LogLine[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

function gatewayLines(lines: LogLine[]): LogLine[] {
  return lines.filter((line) => typeof line.message === 'string' && line.message.startsWith('SMS Gateway'));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
