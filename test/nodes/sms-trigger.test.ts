import type { IDataObject } from 'n8n-workflow';
import { chain, logCapture, runWorkflow, testCredential } from '../harness/n8n-harness';
import { closeAllSmppServers, smppServerUsers } from '../../src/registry/listener-registry';
import { closeAllSmppTransports, smppRegistryUsers } from '../../src/registry/smpp-registry';
import { randomUUID } from 'crypto';
import Redis from 'ioredis';
import { MemoryOptOutStore, RedisOptOutStore } from '../../src/optout/opt-out-store';
import { processWide } from '../../src/process-wide/shared-resource-pool';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { readSmppCredential } from '../../nodes/shared/credentials/smpp-credential';
import { startSandbox, waitFor } from '../support/sandbox';
import { connectLibraryClient } from '../inbound/support/smpp-library-client';
import {
  SERVER_ACCOUNT,
  TRIGGER,
  carrierCredential,
  carrierRef,
  freePort,
  serverCredential,
  serverRef,
  triggerCredentialTypes,
  triggerNodeTypes,
} from '../inbound/support/trigger-node-setup';

describe('SMS Trigger node, "listen for test event" (n8n WorkflowExecute, manual mode)', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    process.env.SMS_GATEWAY_LISTENER_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox();
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await closeAllSmppServers();
    await smsc.stop();
  });

  const listen = (parameters: IDataObject, credential: IDataObject = {}) =>
    runWorkflow({
      nodes: [{ name: 'SMS Trigger', type: TRIGGER, parameters, credentials: { ...carrierRef, ...serverRef } }],
      connections: chain('SMS Trigger'),
      nodeTypes: triggerNodeTypes,
      credentials: { smppApi: carrierCredential(smsc, credential), smppServerApi: serverCredential() },
      credentialTypes: triggerCredentialTypes,
    });

  it('emits the first MO message, then lets the shared bind go', async () => {
    const run = listen({});
    await smsc.injectMo({ from: '+447700900123', to: '12345', text: 'Hello n8n' });
    const result = await run;
    expect(result.status).toBe('success');
    expect(result.items('SMS Trigger')).toEqual([
      {
        type: 'message',
        from: '+447700900123',
        to: '12345',
        text: 'Hello n8n',
        encoding: 'gsm7',
        parts: 1,
        receivedAt: expect.any(String),
        smsc: 'sandbox@127.0.0.1:' + smsc.port,
      },
    ]);
    const connection = readSmppCredential(carrierCredential(smsc)).connection;
    await waitFor(() => smppRegistryUsers(connection) === 0, 'the trigger to release the bind');
  });

  it.each([
    ['exact', { keywordMatch: 'exact', keywords: 'INFO, HELP' }, ['info please', 'Info'], 'Info'],
    ['starts-with', { keywordMatch: 'startsWith', keywords: 'order' }, ['my order 7', 'ORDER 7 shipped?'], 'ORDER 7 shipped?'],
    ['regex', { keywordMatch: 'regex', keywordRegex: '^pin\\s*\\d{4}$' }, ['pin 12345', 'PIN 4821'], 'PIN 4821'],
  ])('keyword filter (%s) lets only a matching message start the workflow', async (_name, parameters, texts, expected) => {
    const run = listen(parameters);
    for (const text of texts) await smsc.injectMo({ from: '+447700900123', to: '12345', text });
    const result = await run;
    expect(result.items('SMS Trigger').map((i) => i.text)).toEqual([expected]);
  });

  it('joins a long message before emitting it', async () => {
    const text = 'A long reply that needs several parts to arrive. '.repeat(7); // 350 GSM-7 characters
    const run = listen({});
    await smsc.injectMo({ from: '+447700900123', to: '12345', text, concat: 'udh16' });
    const [item] = (await run).items('SMS Trigger');
    expect(item).toMatchObject({ text, parts: 3 });
  });

  it('a STOP reply puts the sender on the process-wide opt-out list Bulk Alert Broadcast reads', async () => {
    const run = listen({ optOutList: 'node-test-list' });
    await smsc.injectMo({ from: '+447700900777', to: '12345', text: 'STOP' });
    const [item] = (await run).items('SMS Trigger');
    expect(item).toMatchObject({ optOut: 'added', optOutList: 'node-test-list' });
    const store = processWide('memoryOptOut', () => new MemoryOptOutStore());
    expect(await store.filterOptedOut('node-test-list', ['+447700900777', '+447700900778'])).toEqual(new Set(['+447700900777']));
    await store.optIn('node-test-list', '+447700900777');
  });

  it('with the Redis state store, writes the opt-out where every n8n process reads it', async () => {
    const keyPrefix = `test:sms-trigger:${randomUUID()}:`;
    const run = runWorkflow({
      nodes: [
        {
          name: 'SMS Trigger',
          type: TRIGGER,
          parameters: { stateStore: 'redis' },
          credentials: { ...carrierRef, smsGatewayRedisApi: { id: 'cred-redis', name: 'Redis' } },
        },
      ],
      connections: chain('SMS Trigger'),
      nodeTypes: triggerNodeTypes,
      credentials: { smppApi: carrierCredential(smsc), smsGatewayRedisApi: { host: '127.0.0.1', port: 6379, keyPrefix } },
      credentialTypes: triggerCredentialTypes,
    });
    await smsc.injectMo({ from: '+447700900555', to: '12345', text: 'unsubscribe' });
    expect((await run).items('SMS Trigger')[0]).toMatchObject({ optOut: 'added', optOutList: 'default' });
    const redis = new Redis({ host: '127.0.0.1', port: 6379 });
    try {
      expect(await new RedisOptOutStore(redis, `${keyPrefix}optout:`).filterOptedOut('default', ['+447700900555'])).toEqual(new Set(['+447700900555']));
    } finally {
      await redis.del(`${keyPrefix}optout:default`);
      redis.disconnect();
      for (const client of processWide('redisClients', () => new Map<string, Redis>()).values()) client.disconnect();
    }
  });

  it('in SMPP server mode, emits what an application submits', async () => {
    const port = await freePort();
    const run = runWorkflow({
      nodes: [{ name: 'SMS Trigger', type: TRIGGER, parameters: { source: 'server', host: '127.0.0.1', port }, credentials: serverRef }],
      connections: chain('SMS Trigger'),
      nodeTypes: triggerNodeTypes,
      credentials: { smppServerApi: serverCredential() },
      credentialTypes: triggerCredentialTypes,
    });
    await waitFor(() => smppServerUsers('127.0.0.1', port) === 1, 'the trigger to listen');
    const client = await connectLibraryClient(port);
    expect(await client.bind('transceiver', SERVER_ACCOUNT.systemId, SERVER_ACCOUNT.password)).toBe(0);
    const answer = await client.submit({
      source_addr: '447700900123',
      source_addr_ton: 1,
      destination_addr: '447700900456',
      destination_addr_ton: 1,
      short_message: 'from my app',
    });
    expect(answer.command_status).toBe(0);
    const result = await run;
    expect(result.items('SMS Trigger')).toEqual([
      {
        // The smpp library sends plain ASCII text with data_coding 1 (IA5).
        type: 'message',
        from: '+447700900123',
        to: '+447700900456',
        text: 'from my app',
        encoding: 'ascii',
        parts: 1,
        receivedAt: expect.any(String),
        smsc: 'server',
        systemId: SERVER_ACCOUNT.systemId,
        // The id our submit_sm_resp gave the application, for Send SMS to report its delivery.
        messageIds: [String(answer.message_id)],
        receiptRequested: false,
      },
    ]);
    await client.closed; // the port closed with the test listen
    expect(smppServerUsers('127.0.0.1', port)).toBe(0);
  });

  it('refuses to start on a transmitter-only credential, naming Bind Mode', async () => {
    const result = await listen({}, { bindMode: 'transmitter' });
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/binds as Transmitter/);
    expect(result.error?.description).toBe('Check "Bind Mode" in Options');
  });

  it('names the parameter when the regular expression is invalid', async () => {
    const result = await listen({ keywordMatch: 'regex', keywordRegex: '([a-z' });
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/"\(\[a-z" is not a valid regular expression/);
    expect(result.error?.description).toBe('Check "Regular Expression"');
  });

  it('reports a wrong carrier password as a bind error without logging the password', async () => {
    const result = await listen({}, { password: 'Wr0ngPassw0rd' });
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/ESME_RINVPASWD/);
    expect(logCapture.text()).not.toContain('Wr0ngPassw0rd');
  });

  it('tests the SMPP Server credential: fields and the TLS key/certificate pair', async () => {
    const ok = await testCredential({ nodeTypes: triggerNodeTypes, credentialType: 'smppServerApi', data: serverCredential() });
    expect(ok).toEqual({ status: 'OK', message: 'Applications can bind as "myapp"' });
    const badTls = await testCredential({
      nodeTypes: triggerNodeTypes,
      credentialType: 'smppServerApi',
      data: serverCredential({ tls: true, tlsKey: 'not a key', tlsCert: 'x' }),
    });
    expect(badTls.status).toBe('Error');
    expect(badTls.message).toMatch(/TLS Private Key is not a PEM private key/);
    const noPassword = await testCredential({ nodeTypes: triggerNodeTypes, credentialType: 'smppServerApi', data: serverCredential({ password: '' }) });
    expect(noPassword.message).toMatch(/Password is empty/);
  });
});
