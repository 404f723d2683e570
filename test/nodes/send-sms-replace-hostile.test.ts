// Replace Sent Message through n8n's engine against the sandbox over TCP, read back
// through its HTTP API: a part of a long message, and a carrier that hands out a message ID again.
import type { IDataObject } from 'n8n-workflow';
import { startSandboxHttp } from '../../src/sandbox/http';
import type { MessageView, SandboxHttpServer } from '../../src/sandbox/http';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox, waitFor } from '../support/sandbox';
import { requestJson } from '../sandbox/support/sandbox-http-fixture';
import { runSendSmsOp } from '../support/send-sms-op';

const HOLD_MS = 4000;
const LONG =
  'Dentist appointment reminder: your check-up with Dr Patel is on Monday at 10:00 in room 4 of the Hill Road clinic. Please bring your card and arrive ten minutes early. Reply STOP to opt out.';

describe('Replace Sent Message: a part of a long message, a reused ID', () => {
  let smsc: SandboxSmsc;
  let http: SandboxHttpServer;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox();
    http = await startSandboxHttp(smsc, { port: 0 });
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await http.close();
    await smsc.stop();
  });

  const run = (parameters: IDataObject, inputItems: IDataObject[], continueOnFail = false) => runSendSmsOp(smsc, parameters, inputItems, continueOnFail);
  const send = (to: string, text: string, scheduled: boolean) =>
    run({ to, message: text, options: scheduled ? { scheduleAt: new Date(Date.now() + HOLD_MS).toISOString() } : {} }, [{}]);
  const replace = (messageIds: IDataObject['messageIds'], newMessage: string) =>
    run({ operation: 'replaceMessage', messageIds: '={{ $json.messageIds }}', newMessage }, [{ messageIds }], true);
  const onPhone = async (to: string): Promise<MessageView[]> =>
    (await requestJson<{ messages: MessageView[] }>(http.url, 'GET', `/api/messages?to=${encodeURIComponent(to)}`)).body.messages;

  it('the ID of one part of a long message: refused by the node naming Message IDs, no replace_sm sent', async () => {
    const sent = await send('+447911123301', LONG, true);
    const ids = sent.items('Op')[0].messageIds as string[];
    expect(ids).toHaveLength(2);
    // A workflow that takes {{ $json.messageIds[0] }}: a carrier that replaces the part garbles the message.
    const res = await replace([ids[0]], 'Moved to Tuesday 10:00');
    const [item] = res.items('Op');
    expect(item.status).toBe('failed');
    expect({ replaceSmAtCarrier: smsc.sentMessages.counts.replaced + smsc.sentMessages.counts.refused, error: item.error }).toEqual({
      replaceSmAtCarrier: 0,
      error: expect.stringMatching(/part/),
    });
  }, 30_000);

  it('a message ID the carrier hands out again (SMSC restarted): plain text replacing a GSM-7 message reads right', async () => {
    const first = await send('+447911123302', 'Réunion à 10h 😀', false);
    expect(first.items('Op')[0].encoding).toBe('ucs2');
    const [id] = first.items('Op')[0].messageIds as string[];
    // The SMSC restarts its ID counter: the next message gets the same ID.
    (smsc as unknown as { nextId: number }).nextId = parseInt(id, 16);
    const second = await send('+447911123303', 'Dentist at 10:00', true);
    expect({ encoding: second.items('Op')[0].encoding, ids: second.items('Op')[0].messageIds }).toEqual({ encoding: 'gsm7', ids: [id] });
    const res = await replace([id], 'Dentist at 11:00');
    expect(res.items('Op')[0].status).toBe('replaced');
    await waitFor(() => smsc.store.list({ to: '447911123303' }).length === 1, 'the replaced message on the phone', HOLD_MS + 5000);
    expect((await onPhone('+447911123303')).map((m) => m.text)).toEqual(['Dentist at 11:00']);
  }, 30_000);
});
