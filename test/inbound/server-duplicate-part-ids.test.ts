/**
 * SMS Trigger in SMPP server mode (active workflow, real TCP): an application submits part 1 of a
 * long message twice (it resent after losing our submit_sm_resp) and asks for receipts. Both
 * submits were answered with a message id; the event must let the workflow answer every id it
 * gave out (event.messageIds), or the application waits for a receipt that never comes.
 */
import { closeAllSmppServers } from '../../src/registry/listener-registry';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { encodeMessage } from '../../src/encoding';
import { startSandbox, waitFor } from '../support/sandbox';
import { activateTrigger } from './support/active-trigger';
import type { ActiveTrigger } from './support/active-trigger';
import { connectLibraryClient } from './support/smpp-library-client';
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
} from './support/trigger-node-setup';

const TEXT = 'Lab result for bed 12 is critical: potassium 6.9 mmol/L, repeat sample and call the on-call doctor now. '.repeat(2).trim();

describe('server mode: a part submitted twice', () => {
  let smsc: SandboxSmsc;
  let trigger: ActiveTrigger | undefined;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    process.env.SMS_GATEWAY_LISTENER_IDLE_CLOSE_MS = '0';
  });
  afterEach(async () => {
    await trigger?.close();
    await closeAllSmppTransports();
    await closeAllSmppServers();
    await smsc.stop();
  });

  it('every message id the application was given for the message is in the event', async () => {
    smsc = await startSandbox();
    const port = await freePort();
    trigger = await activateTrigger({
      type: TRIGGER,
      nodeType: triggerNodeTypes[TRIGGER],
      parameters: { source: 'server', host: '127.0.0.1', port },
      credentials: { smppApi: carrierCredential(smsc, {}), smppServerApi: serverCredential() },
      credentialRefs: { ...carrierRef, ...serverRef },
      credentialTypes: triggerCredentialTypes,
    });
    const client = await connectLibraryClient(port);
    expect(await client.bind('transceiver', SERVER_ACCOUNT.systemId, SERVER_ACCOUNT.password)).toBe(0);
    const { parts } = encodeMessage(TEXT, { concat: 'udh8', reference: 77 });
    expect(parts).toHaveLength(2);
    const submit = (i: number) =>
      client.submit({
        source_addr: '447700900123',
        source_addr_ton: 1,
        destination_addr: '12345',
        esm_class: 0x40,
        data_coding: parts[i].dataCoding,
        short_message: { udh: parts[i].shortMessage.subarray(0, 6), message: parts[i].shortMessage.subarray(6) },
        registered_delivery: 1,
      });
    const answers = [await submit(0), await submit(0), await submit(1)];
    expect(answers.map((a) => a.command_status)).toEqual([0, 0, 0]);
    await waitFor(() => trigger!.emitted.length >= 1, 'the message');
    await new Promise((r) => setTimeout(r, 200));
    expect(trigger.emitted).toHaveLength(1);
    const event = trigger.emitted[0].json as { text: string; messageIds: string[] };
    expect(event.text).toBe(TEXT);
    const given = [...new Set(answers.map((a) => String(a.message_id)))];
    expect({ given, inEvent: event.messageIds }).toEqual({ given, inEvent: expect.arrayContaining(given) });
    await client.close();
  });
});
