import type { IDataObject, IRun } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import { readSmppCredential } from '../../nodes/shared/credentials/smpp-credential';
import { messageIdKeys } from '../../src/transport/smpp/receipt-format/receipt-text';
import { closeAllSmppServers, smppServerUsers } from '../../src/registry/listener-registry';
import { acquireSmppTransport, closeAllSmppTransports, smppRegistryUsers } from '../../src/registry/smpp-registry';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { blankMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import { startSandbox, waitFor } from '../support/sandbox';
import { MemoryOptOutStore } from '../../src/optout/opt-out-store';
import { processWide } from '../../src/process-wide/shared-resource-pool';
import { activateTrigger } from '../inbound/support/active-trigger';
import type { ActiveTrigger, Emission } from '../inbound/support/active-trigger';
import { connectLibraryClient } from '../inbound/support/smpp-library-client';
import {
  SEND,
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

describe('SMS Trigger node in an active workflow (n8n-core TriggerContext, mode "trigger")', () => {
  let smsc: SandboxSmsc;
  const active: ActiveTrigger[] = [];
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    process.env.SMS_GATEWAY_LISTENER_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox({ messageIdFormat: 'decimal', receipt: { outcome: 'DELIVRD', delayMs: 5 } });
  });
  afterEach(async () => {
    for (const t of active.splice(0)) await t.close();
    await closeAllSmppTransports();
    await closeAllSmppServers();
    await smsc.stop();
  });

  async function activate(parameters: IDataObject, onEmit?: (e: Emission) => void, credential: IDataObject = {}): Promise<ActiveTrigger> {
    const trigger = await activateTrigger({
      type: TRIGGER,
      nodeType: triggerNodeTypes[TRIGGER],
      parameters,
      credentials: { smppApi: carrierCredential(smsc, credential), smppServerApi: serverCredential() },
      credentialRefs: { ...carrierRef, ...serverRef },
      credentialTypes: triggerCredentialTypes,
      onEmit,
    });
    active.push(trigger);
    return trigger;
  }

  it('emits every one of 1,000 MO messages sent in a burst while the workflow is slow, acknowledging each after its execution', async () => {
    // A slow workflow: executions finish one at a time, each after a macrotask.
    const running: Emission[] = [];
    let busy = false;
    const work = (): void => {
      if (busy) return;
      const next = running.shift();
      if (!next) return;
      busy = true;
      setImmediate(() => {
        next.done?.resolve({} as IRun);
        busy = false;
        work();
      });
    };
    const trigger = await activate({}, (e) => {
      running.push(e);
      work();
    });
    const texts = Array.from({ length: 1000 }, (_, i) => `burst message ${i}`);
    const results = await Promise.all(texts.map((text, i) => smsc.injectMo({ from: `+4477009${String(10000 + i).slice(1)}`, to: '12345', text })));
    expect(results.every((r) => r.delivered)).toBe(true);
    expect(trigger.emitted).toHaveLength(1000);
    expect(new Set(trigger.emitted.map((e) => e.json.text))).toEqual(new Set(texts));
    expect(trigger.emitted.every((e) => e.done !== undefined)).toBe(true);
  });

  it('acknowledges a deliver_sm only once the execution finished (durable hand-off)', async () => {
    const emissions: Emission[] = [];
    await activate({}, (e) => emissions.push(e));
    let acknowledged = false;
    const injected = smsc.injectMo({ from: '+447700900123', to: '12345', text: 'hold me' }).then((r) => {
      acknowledged = true;
      return r;
    });
    await waitFor(() => emissions.length === 1, 'the emit');
    // A full round trip on the same connection: an ack written before this submit would have reached the sandbox first.
    const lease = await acquireSmppTransport(readSmppCredential(carrierCredential(smsc)).connection);
    const probe = blankMessagePdu();
    probe.destination = { ton: 1, npi: 1, addr: '447700900999' };
    await lease.resource.submit(probe);
    await lease.release();
    expect(acknowledged).toBe(false);
    emissions[0].done?.resolve({} as IRun);
    await expect(injected).resolves.toEqual({ parts: 1, delivered: true });
  });

  it('emits a receipt for each part of a three-part message Send SMS sent on the shared bind, matching its message ids', async () => {
    const trigger = await activate({ events: ['receipt'] });
    const text = 'Your delivery window is 10:00-12:00 tomorrow. '.repeat(8); // 3 GSM-7 parts
    const sent = await runWorkflow({
      nodes: [
        {
          name: 'Send SMS',
          type: SEND,
          parameters: { to: '+447911123456', from: 'SHOP', message: text, options: { requestReceipt: true } },
          credentials: carrierRef,
        },
      ],
      connections: chain('Start', 'Send SMS'),
      nodeTypes: triggerNodeTypes,
      credentials: { smppApi: carrierCredential(smsc) },
      credentialTypes: triggerCredentialTypes,
      inputItems: [{}],
    });
    expect(sent.error?.message).toBeUndefined();
    expect(sent.status).toBe('success');
    const messageIds = sent.items('Send SMS')[0].messageIds as string[];
    expect(messageIds).toHaveLength(3);
    expect(smsc.sessionCount).toBe(1); // one bind shared by Send SMS and the trigger
    await waitFor(() => trigger.emitted.length === 3, 'three receipts');
    for (const id of messageIds) {
      const matching = trigger.emitted.filter((e) => (e.json.messageIdKeys as string[]).some((k) => messageIdKeys(id).includes(k)));
      expect(matching).toHaveLength(1);
      expect(matching[0].json).toMatchObject({ type: 'receipt', status: 'DELIVRD', to: '+447911123456', from: 'SHOP' });
    }
  });

  it('keeps receiving after the SMSC drops the link (the transport reconnects by itself)', async () => {
    const trigger = await activate({});
    await smsc.injectMo({ from: '+447700900123', to: '12345', text: 'one' });
    smsc.dropConnections();
    await smsc.injectMo({ from: '+447700900123', to: '12345', text: 'two' }); // waits in the sandbox until the bind is back
    expect(trigger.emitted.map((e) => e.json.text)).toEqual(['one', 'two']);
    expect(trigger.errors).toEqual([]);
  });

  it('reports with emitError when the transport gives up reconnecting', async () => {
    const connection = readSmppCredential(carrierCredential(smsc)).connection;
    // Open the shared bind first with a short reconnect budget; the trigger shares it.
    const lease = await acquireSmppTransport({ ...connection, reconnectAttempts: 1, reconnectBaseMs: 10, reconnectMaxMs: 20, connectTimeoutMs: 500 });
    const trigger = await activate({});
    await lease.release();
    expect(smppRegistryUsers(connection)).toBe(1);
    await smsc.stop();
    await waitFor(() => trigger.errors.length === 1, 'emitError');
    expect(trigger.errors[0]).toBeInstanceOf(NodeOperationError);
    expect(trigger.errors[0].message).toMatch(/lost its SMPP connection: gave up reconnecting/);
    smsc = await startSandbox(); // for afterEach
  });

  it('a credential edited while only the trigger holds the bind reaches it: a changed response timeout binds again with it, another host makes n8n reactivate the trigger', async () => {
    process.env.SMS_GATEWAY_CREDENTIAL_RECHECK_MS = '100';
    try {
      const trigger = await activate({});
      expect(smsc.stats.binds).toBe(1);
      await trigger.editCredential('smppApi', carrierCredential(smsc, { responseTimeoutSeconds: 7 }));
      await waitFor(() => smsc.stats.binds === 2, 'a bind with the edited credential');
      await smsc.injectMo({ from: '+447700900123', to: '12345', text: 'after the edit' });
      expect(trigger.emitted.map((e) => e.json.text)).toEqual(['after the edit']);
      expect(trigger.errors).toEqual([]);
      await trigger.editCredential('smppApi', carrierCredential(smsc, { host: 'localhost' }));
      await waitFor(() => trigger.errors.length > 0, 'the trigger to report it');
      expect(trigger.errors[0].message).toMatch(/now names another host, port or account/);
    } finally {
      delete process.env.SMS_GATEWAY_CREDENTIAL_RECHECK_MS;
    }
  });

  it('lets go of the bind when the workflow is deactivated', async () => {
    const trigger = await activate({});
    const connection = readSmppCredential(carrierCredential(smsc)).connection;
    expect(smppRegistryUsers(connection)).toBe(1);
    await trigger.close();
    active.splice(active.indexOf(trigger), 1);
    expect(smppRegistryUsers(connection)).toBe(0);
  });

  describe('SMPP server mode', () => {
    it('turns 1,000 submits of an application into 1,000 events, each answered with its own message id', async () => {
      const port = await freePort();
      const trigger = await activate({ source: 'server', host: '127.0.0.1', port });
      const client = await connectLibraryClient(port);
      expect(await client.bind('transceiver', SERVER_ACCOUNT.systemId, SERVER_ACCOUNT.password)).toBe(0);
      const answers = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          client.submit({ source_addr: '447700900123', source_addr_ton: 1, destination_addr: '12345', short_message: `app message ${i}` }),
        ),
      );
      expect(new Set(answers.map((a) => a.message_id)).size).toBe(1000);
      expect(answers.every((a) => a.command_status === 0)).toBe(true);
      expect(trigger.emitted).toHaveLength(1000);
      expect(new Set(trigger.emitted.map((e) => e.json.text)).size).toBe(1000);
      expect(trigger.emitted[0].json).toMatchObject({ type: 'message', smsc: 'server', systemId: SERVER_ACCOUNT.systemId, from: '+447700900123', to: '12345' });
      await client.close();
    });

    it('an application that submits STOP "from" +447700900123 opts nobody out: server-mode submits are trusted for STOP/START only when the option says so', async () => {
      const store = processWide('memoryOptOut', () => new MemoryOptOutStore());
      const list = `server-optout-${Date.now()}`;
      for (const trust of [false, true]) {
        const port = await freePort();
        const trigger = await activate({ source: 'server', host: '127.0.0.1', port, optOutList: list, options: trust ? { trustOptOutFromServer: true } : {} });
        const client = await connectLibraryClient(port);
        expect(await client.bind('transmitter', SERVER_ACCOUNT.systemId, SERVER_ACCOUNT.password)).toBe(0);
        expect(
          (await client.submit({ source_addr: '447700900123', source_addr_ton: 1, destination_addr: '12345', short_message: 'STOP' })).command_status,
        ).toBe(0);
        await waitFor(() => trigger.emitted.length === 1, 'the STOP message as an event');
        expect({ trust, optedOut: [...(await store.filterOptedOut(list, ['+447700900123']))] }).toEqual({ trust, optedOut: trust ? ['+447700900123'] : [] });
        expect(trigger.emitted[0].json.optOut).toBe(trust ? 'added' : undefined);
        await client.close();
        await trigger.close();
        active.splice(active.indexOf(trigger), 1);
      }
      await store.optIn(list, '+447700900123');
    });

    it('joins a concatenated submit (UDH) into one event', async () => {
      const port = await freePort();
      const trigger = await activate({ source: 'server', host: '127.0.0.1', port });
      const client = await connectLibraryClient(port);
      await client.bind('transmitter', SERVER_ACCOUNT.systemId, SERVER_ACCOUNT.password);
      const udh = (seq: number): Buffer => Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, seq]);
      for (const [seq, text] of [
        [2, 'world'],
        [1, 'hello '],
      ] as const) {
        const answer = await client.submit({
          destination_addr: '12345',
          esm_class: 0x40,
          data_coding: 0x00,
          short_message: Buffer.concat([udh(seq), Buffer.from(text, 'latin1')]),
        });
        expect(answer.command_status).toBe(0);
      }
      expect(trigger.emitted.map((e) => e.json)).toEqual([
        expect.objectContaining({ text: 'hello world', parts: 2, encoding: 'gsm7', systemId: SERVER_ACCOUNT.systemId }),
      ]);
      await client.close();
    });

    it('shares the port between the active workflow and a test listen of the same trigger', async () => {
      const port = await freePort();
      const parameters = { source: 'server', host: '127.0.0.1', port };
      const trigger = await activate(parameters);
      const testRun = runWorkflow({
        nodes: [{ name: 'SMS Trigger', type: TRIGGER, parameters, credentials: serverRef }],
        connections: chain('SMS Trigger'),
        nodeTypes: triggerNodeTypes,
        credentials: { smppServerApi: serverCredential() },
        credentialTypes: triggerCredentialTypes,
      });
      await waitFor(() => smppServerUsers('127.0.0.1', port) === 2, 'both triggers to listen');
      const client = await connectLibraryClient(port);
      await client.bind('transceiver', SERVER_ACCOUNT.systemId, SERVER_ACCOUNT.password);
      expect((await client.submit({ destination_addr: '12345', short_message: 'to both' })).command_status).toBe(0);
      const run = await testRun;
      expect(run.items('SMS Trigger')[0]).toMatchObject({ text: 'to both' });
      expect(smppServerUsers('127.0.0.1', port)).toBe(1);
      expect((await client.submit({ destination_addr: '12345', short_message: 'active only' })).command_status).toBe(0);
      expect(trigger.emitted.map((e) => e.json.text)).toEqual(['to both', 'active only']);
      await client.close();
    });
  });
});
