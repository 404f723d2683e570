/**
 * Secrets, part 1: the SMPP password and the Redis password never appear in n8n's logs, in
 * anything printed, in error messages or in output items, on success and on every failure path
 * (wrong password, bind errors, node errors). Every node that takes them runs through n8n's
 * engine: Send SMS, Bulk Alert Broadcast, OTP Issue, SMS Trigger (carrier and server mode), and
 * the credential tests. The Redis password is a real one: an ACL user made for this file.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { chain, logCapture, runWorkflow, serializeForSearch, testCredential } from '../harness/n8n-harness';
import type { HarnessRun } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { closeAllSmppServers, smppServerUsers } from '../../src/registry/listener-registry';
import { closeSharedRedisClients } from '../../nodes/shared/state/redis-connection';
import { startSandbox, waitFor } from '../support/sandbox';
import { credentialTypes, nodeTypes } from '../support/node-types';
import { ISSUE_TYPE, otpCredentialTypes, otpNodeTypes, SIGNING_KEY } from '../fixtures/otp/otp-node-runs';
import { connectLibraryClient } from '../inbound/support/smpp-library-client';
import { freePort, serverRef, TRIGGER, triggerCredentialTypes, triggerNodeTypes } from '../inbound/support/trigger-node-setup';
import { leakedSecrets, OutputCapture } from '../reliability/support/output-capture';
import { createRedisTestUser } from '../reliability/support/redis-test-user';
import type { RedisTestUser } from '../reliability/support/redis-test-user';

const SMPP_ACCOUNT = { systemId: 'secret-acct', password: 'Pw7#kQ2z' };
const WRONG_SMPP_PASSWORD = 'Wr0ng#Pw';
const SERVER_ACCOUNT = { systemId: 'my-app', password: 'Srv!9xLq' };
const GUESSED_SERVER_PASSWORD = 'Guess#42';
const WRONG_REDIS_PASSWORD = 'redis-not-the-right-one-7f3a';
const SEND = 'n8n-nodes-sms-gateway.sendSms';
const BROADCAST = 'n8n-nodes-sms-gateway.bulkAlertBroadcast';
const smppRef = { smppApi: { id: 'cred-smpp', name: 'Carrier' } };
const redisRef = { smsGatewayRedisApi: { id: 'cred-redis', name: 'Redis' } };

/** What users and operators can see of a run: the node's outputs and the error, with its stack and cause. */
function visible(run: HarnessRun, node: string): string {
  const outputs = run.ran(node) ? run.outputs(node) : [];
  return serializeForSearch({ outputs, error: run.error, nodeError: run.ran(node) ? run.nodeError(node) : undefined });
}

describe('secrets: SMPP and Redis passwords stay out of logs, output and errors', () => {
  const output = new OutputCapture();
  let smsc: SandboxSmsc;
  let redisUser: RedisTestUser;
  let secrets: Record<string, string>;

  beforeAll(async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    process.env.SMS_GATEWAY_LISTENER_IDLE_CLOSE_MS = '0';
    output.start();
    smsc = await startSandbox({ accounts: [SMPP_ACCOUNT] });
    redisUser = await createRedisTestUser('secrets');
    secrets = {
      'SMPP password': SMPP_ACCOUNT.password,
      'wrong SMPP password': WRONG_SMPP_PASSWORD,
      'Redis password': redisUser.password,
      'wrong Redis password': WRONG_REDIS_PASSWORD,
      'SMPP server password': SERVER_ACCOUNT.password,
      'guessed SMPP server password': GUESSED_SERVER_PASSWORD,
      'OTP signing key': SIGNING_KEY,
    };
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await closeAllSmppServers();
  });
  afterAll(async () => {
    output.stop();
    await closeSharedRedisClients();
    await redisUser.remove();
    await smsc.stop();
  });

  const carrier = (extra: IDataObject = {}): ICredentialDataDecryptedObject => ({
    host: '127.0.0.1',
    port: smsc.port,
    ...SMPP_ACCOUNT,
    sourceAddress: 'ACME',
    defaultCountry: 'DE',
    tps: 0,
    enquireLinkSeconds: 0,
    responseTimeoutSeconds: 5,
    ...extra,
  });
  const redis = (extra: IDataObject = {}): ICredentialDataDecryptedObject => ({
    host: '127.0.0.1',
    port: 6379,
    user: redisUser.user,
    password: redisUser.password,
    keyPrefix: redisUser.keyPrefix,
    ...extra,
  });

  const sendSms = (credential: ICredentialDataDecryptedObject, continueOnFail = false) =>
    runWorkflow({
      nodes: [
        { name: 'Send SMS', type: SEND, continueOnFail, credentials: smppRef, parameters: { to: '={{ $json.to }}', message: 'Your parcel is on its way' } },
      ],
      connections: chain('Start', 'Send SMS'),
      nodeTypes,
      credentials: { smppApi: credential },
      credentialTypes,
      inputItems: [{ to: '+4915112340001' }, { to: '+4915112340002' }],
    });
  const broadcast = (redisCredential: ICredentialDataDecryptedObject, credential = carrier()) =>
    runWorkflow({
      nodes: [
        {
          name: 'Broadcast',
          type: BROADCAST,
          credentials: { ...smppRef, ...redisRef },
          parameters: {
            recipientSource: 'items',
            recipientField: 'phone',
            messageSource: 'text',
            message: 'Water main repair tonight',
            stateStore: 'redis',
            broadcastId: `secrets-${Date.now()}`,
          },
        },
      ],
      connections: chain('Start', 'Broadcast'),
      nodeTypes,
      credentials: { smppApi: credential, smsGatewayRedisApi: redisCredential },
      credentialTypes,
      inputItems: [{ phone: '+4915112340003' }, { phone: '+4915112340004' }],
    });
  const listenCarrier = (credential: ICredentialDataDecryptedObject) =>
    runWorkflow({
      nodes: [{ name: 'SMS Trigger', type: TRIGGER, credentials: smppRef, parameters: {} }],
      connections: chain('SMS Trigger'),
      nodeTypes: triggerNodeTypes,
      credentials: { smppApi: credential },
      credentialTypes: triggerCredentialTypes,
    });

  it('Send SMS: sent with the right password, refused with a wrong one (thrown and as error items)', async () => {
    const mark = logCapture.mark();
    const printed = output.mark();
    const ok = await sendSms(carrier());
    expect(ok.status).toBe('success');
    expect(smsc.store.list({ to: '4915112340001' })).toHaveLength(1);
    const refused = await sendSms(carrier({ password: WRONG_SMPP_PASSWORD }));
    expect(refused.error?.message).toMatch(/ESME_RINVPASWD/);
    const itemized = await sendSms(carrier({ password: WRONG_SMPP_PASSWORD }), true);
    expect(itemized.items('Send SMS').map((i) => i.error)).toEqual([expect.stringMatching(/ESME_RINVPASWD/), expect.stringMatching(/ESME_RINVPASWD/)]);
    const seen = [visible(ok, 'Send SMS'), visible(refused, 'Send SMS'), visible(itemized, 'Send SMS'), logCapture.text(mark), output.text(printed)].join('\n');
    expect(leakedSecrets(seen, secrets)).toEqual([]);
  });

  it('Send SMS with the TPS limit shared through Redis and a Redis password: sent, and the password shown nowhere', async () => {
    const mark = logCapture.mark();
    const printed = output.mark();
    // The test Redis's default user has no password: ioredis goes on without it (and warns).
    const run = await sendSms(carrier({ tps: 50, useRedis: true, redisHost: '127.0.0.1', redisPort: 6379, redisPassword: WRONG_REDIS_PASSWORD }));
    expect(run.status).toBe('success');
    expect(run.items('Send SMS').map((i) => i.status)).toEqual(['accepted', 'accepted']);
    expect(leakedSecrets(`${visible(run, 'Send SMS')}\n${logCapture.text(mark)}\n${output.text(printed)}`, secrets)).toEqual([]);
  });

  it('Bulk Alert Broadcast: journal in Redis behind a password; a wrong Redis or SMPP password fails without showing either', async () => {
    const mark = logCapture.mark();
    const ok = await broadcast(redis());
    expect(ok.items('Broadcast')[0]).toMatchObject({ accepted: 2 });
    // Another ACL user name, so the process-wide client of the right one is not reused.
    const wrongRedis = await broadcast(redis({ user: `${redisUser.user}-nobody`, password: WRONG_REDIS_PASSWORD }));
    expect(wrongRedis.error?.message).toMatch(/Cannot reach Redis at 127\.0\.0\.1:6379 \(SMS Gateway Redis credential\): WRONGPASS/);
    const wrongSmpp = await broadcast(redis(), carrier({ password: WRONG_SMPP_PASSWORD }));
    expect(wrongSmpp.error?.message).toMatch(/ESME_RINVPASWD/);
    const seen = [
      visible(ok, 'Broadcast'),
      visible(wrongRedis, 'Broadcast'),
      visible(wrongSmpp, 'Broadcast'),
      logCapture.text(mark),
      await redisUser.dump(),
    ].join('\n');
    expect(leakedSecrets(seen, secrets)).toEqual([]);
  });

  it('OTP Issue: a wrong SMPP password fails the send without showing it', async () => {
    const mark = logCapture.mark();
    const refused = await runWorkflow({
      nodes: [{ name: 'OTP Issue', type: ISSUE_TYPE, credentials: smppRef, parameters: { phoneNumber: '={{ $json.phone }}', appName: 'ACME' } }],
      connections: chain('Start', 'OTP Issue'),
      nodeTypes: otpNodeTypes,
      credentials: { smppApi: carrier({ password: WRONG_SMPP_PASSWORD }) },
      credentialTypes: otpCredentialTypes,
      inputItems: [{ phone: '+4915112340005' }],
    });
    expect(refused.error?.message).toMatch(/ESME_RINVPASWD/);
    expect(leakedSecrets(`${visible(refused, 'OTP Issue')}\n${logCapture.text(mark)}`, secrets)).toEqual([]);
  });

  it('credential tests (SMPP Carrier, SMPP Server Account): OK and error answers carry no password', async () => {
    const mark = logCapture.mark();
    const ok = await testCredential({ nodeTypes, credentialType: 'smppApi', data: carrier(), credentialTypes });
    const bad = await testCredential({ nodeTypes, credentialType: 'smppApi', data: carrier({ password: WRONG_SMPP_PASSWORD }), credentialTypes });
    const server = await testCredential({
      nodeTypes: triggerNodeTypes,
      credentialType: 'smppServerApi',
      data: { ...SERVER_ACCOUNT },
      credentialTypes: triggerCredentialTypes,
    });
    const serverBad = await testCredential({
      nodeTypes: triggerNodeTypes,
      credentialType: 'smppServerApi',
      data: { ...SERVER_ACCOUNT, maxFailedBinds: -1 },
      credentialTypes: triggerCredentialTypes,
    });
    expect([ok.status, bad.status, server.status, serverBad.status]).toEqual(['OK', 'Error', 'OK', 'Error']);
    expect(leakedSecrets(`${JSON.stringify([ok, bad, server, serverBad])}\n${logCapture.text(mark)}`, secrets)).toEqual([]);
  });

  it('SMS Trigger (carrier): a received message, and a refused bind, without the password', async () => {
    const mark = logCapture.mark();
    const listening = listenCarrier(carrier());
    await waitFor(() => smsc.sessionCount > 0, 'the trigger to bind');
    await smsc.injectMo({ from: '+4915112340006', to: '12345', text: 'Hello', systemId: SMPP_ACCOUNT.systemId });
    const received = await listening;
    expect(received.items('SMS Trigger')).toEqual([expect.objectContaining({ text: 'Hello' })]);
    const refused = await listenCarrier(carrier({ password: WRONG_SMPP_PASSWORD }));
    expect(refused.error?.message).toMatch(/ESME_RINVPASWD/);
    expect(leakedSecrets([visible(received, 'SMS Trigger'), visible(refused, 'SMS Trigger'), logCapture.text(mark)].join('\n'), secrets)).toEqual([]);
  });

  it('SMS Trigger (SMPP server mode): an application guessing, then binding, leaves neither password anywhere', async () => {
    const mark = logCapture.mark();
    const port = await freePort();
    const listening = runWorkflow({
      nodes: [{ name: 'SMS Trigger', type: TRIGGER, credentials: serverRef, parameters: { source: 'server', host: '127.0.0.1', port } }],
      connections: chain('SMS Trigger'),
      nodeTypes: triggerNodeTypes,
      credentials: { smppServerApi: { ...SERVER_ACCOUNT } },
      credentialTypes: triggerCredentialTypes,
    });
    await waitFor(() => smppServerUsers('127.0.0.1', port) === 1, 'the trigger to listen');
    const guesser = await connectLibraryClient(port);
    expect(await guesser.bind('transceiver', SERVER_ACCOUNT.systemId, GUESSED_SERVER_PASSWORD)).not.toBe(0);
    await guesser.close();
    const app = await connectLibraryClient(port);
    expect(await app.bind('transceiver', SERVER_ACCOUNT.systemId, SERVER_ACCOUNT.password)).toBe(0);
    await app.submit({
      source_addr: '4915112340007',
      source_addr_ton: 1,
      destination_addr: '4915112340008',
      destination_addr_ton: 1,
      short_message: 'from my app',
    });
    const run = await listening;
    expect(run.items('SMS Trigger')).toEqual([expect.objectContaining({ text: 'from my app', systemId: SERVER_ACCOUNT.systemId })]);
    await app.closed;
    expect(leakedSecrets(`${visible(run, 'SMS Trigger')}\n${logCapture.text(mark)}`, secrets)).toEqual([]);
  });

  it('nothing logged or printed during this whole file holds any of the secrets', () => {
    expect(logCapture.entries.length).toBeGreaterThan(0); // the capture did see n8n's logs
    expect(leakedSecrets(logCapture.text(), secrets)).toEqual([]);
    expect(leakedSecrets(output.text(), secrets)).toEqual([]);
  });
});
