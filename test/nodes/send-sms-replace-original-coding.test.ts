// Replace Sent Message with Encoding left on Automatic: replace_sm has no data_coding, so the
// carrier reads the new text in the original's. The node writes the new text in the alphabet the
// original was sent in (recorded at submit), and says so plainly when it cannot. Against the
// sandbox over TCP, read back through its HTTP API as a tester would.
import type { IDataObject } from 'n8n-workflow';
import { startSandboxHttp } from '../../src/sandbox/http';
import type { MessageView, SandboxHttpServer } from '../../src/sandbox/http';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { encodeMessage } from '../../src/encoding';
import { simpleSubmit } from '../support/messages';
import { sandboxTransportOptions, startSandbox, waitFor } from '../support/sandbox';
import { requestJson } from '../sandbox/support/sandbox-http-fixture';
import { runSendSmsOp } from '../support/send-sms-op';

/** Long enough that the replace comes before the scheduled time on a loaded machine. */
const HOLD_MS = 4000;

describe("Replace Sent Message writes the new text in the original's alphabet", () => {
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
  const schedule = (to: string, text: string) => run({ to, message: text, options: { scheduleAt: new Date(Date.now() + HOLD_MS).toISOString() } }, [{}]);
  const replace = (messageIds: IDataObject['messageIds'], newMessage: string, replaceOptions: IDataObject = {}) =>
    run({ operation: 'replaceMessage', messageIds: '={{ $json.messageIds }}', newMessage, replaceOptions }, [{ messageIds }], true);
  const onPhone = async (to: string): Promise<MessageView[]> =>
    (await requestJson<{ messages: MessageView[] }>(http.url, 'GET', `/api/messages?to=${encodeURIComponent(to)}`)).body.messages;

  it('a UCS-2 message replaced with plain text (Encoding: Automatic) reads right on the phone', async () => {
    const sent = await schedule('+447911123201', 'Réunion à 10h 😀');
    expect(sent.items('Op')[0].encoding).toBe('ucs2');
    const res = await replace(sent.items('Op')[0].messageIds, 'Meeting moved to 11:00');
    expect(res.items('Op')[0]).toEqual(expect.objectContaining({ status: 'replaced', encoding: 'ucs2' }));
    await waitFor(() => smsc.store.list({ to: '447911123201' }).length === 1, 'the replaced message on the phone', HOLD_MS + 5000);
    expect((await onPhone('+447911123201')).map((m) => m.text)).toEqual(['Meeting moved to 11:00']);
  }, 30_000);

  it('a GSM-7 message cannot take an emoji: a field error saying what to do, and the original stays', async () => {
    const sent = await schedule('+447911123202', 'Dentist at 10:00');
    expect(sent.items('Op')[0].encoding).toBe('gsm7');
    const res = await replace(sent.items('Op')[0].messageIds, 'Dentist at 11:00 😀');
    const [item] = res.items('Op');
    expect(item.status).toBe('failed');
    // GSM-7 messages are recorded too (see SentDataCodings): the error knows the original's alphabet.
    expect(item.error).toBe(
      'New Message cannot be written in GSM-7, the alphabet the original was sent in (replace_sm keeps the original\'s data coding): it has "😀" (U+1F600), which GSM-7 cannot carry. Cancel the message and send a new one',
    );
    expect(smsc.sentMessages.counts.replaced).toBe(0);
    await waitFor(() => smsc.store.list({ to: '447911123202' }).length === 1, 'the original on the phone', HOLD_MS + 5000);
    expect((await onPhone('+447911123202')).map((m) => m.text)).toEqual(['Dentist at 10:00']);
  }, 30_000);

  it("an Encoding that contradicts the original's is refused, naming the field", async () => {
    const sent = await schedule('+447911123203', 'Réunion à 10h 😀');
    const res = await replace(sent.items('Op')[0].messageIds, 'Meeting moved to 11:00', { encoding: 'gsm7' });
    const [item] = res.items('Op');
    expect(item.status).toBe('failed');
    expect(item.error).toMatch(/^Encoding is GSM-7, but message \S+ was sent in UCS-2/);
    expect(smsc.sentMessages.counts.replaced).toBe(0);
  }, 30_000);

  it('a message this process did not send: plain text goes as GSM-7; text that needs UCS-2 is refused with what to do', async () => {
    // Sent over another bind (another n8n process, or before a restart): its alphabet is not known here.
    const other = new SmppTransport(sandboxTransportOptions(smsc));
    await other.start();
    try {
      const ucs2 = encodeMessage('Réunion à 10h 😀', { encoding: 'ucs2' }).parts[0];
      const { messageId } = await other.submit(
        simpleSubmit('447911123204', '', {
          source: { ton: 5, npi: 0, addr: 'CITYALERT' },
          dataCoding: 8,
          shortMessage: ucs2.shortMessage,
          scheduleDeliveryTime: '000000010000000R',
        }),
      );
      const refused = await replace([messageId], 'Réunion à 11h 😀');
      expect(refused.items('Op')[0].status).toBe('failed');
      expect(refused.items('Op')[0].error).toMatch(/^New Message needs more than GSM-7, and the original's alphabet is not known to this n8n process/);
      const told = await replace([messageId], 'Meeting moved to 11:00', { encoding: 'ucs2' });
      expect(told.items('Op')[0]).toEqual(expect.objectContaining({ status: 'replaced', encoding: 'ucs2' }));
      expect(smsc.scheduled.get(messageId)?.text).toBe('Meeting moved to 11:00');
    } finally {
      await other.close(100);
    }
  }, 30_000);
});
