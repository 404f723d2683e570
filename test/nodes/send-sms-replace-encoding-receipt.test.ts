// Replace Sent Message: replace_sm has no data coding and overwrites registered_delivery.
import type { IDataObject } from 'n8n-workflow';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox, waitFor } from '../support/sandbox';
import { runSendSmsOp } from '../support/send-sms-op';

describe('Replace Sent Message: alphabet and receipt of the original', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox({ receipt: { outcome: 'DELIVRD', delayMs: 20 } });
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  const run = (parameters: IDataObject, inputItems: IDataObject[], continueOnFail = false) => runSendSmsOp(smsc, parameters, inputItems, continueOnFail);

  const schedule = (to: string, text: string, inMs: number) =>
    run({ to: '={{ $json.to }}', message: '={{ $json.text }}', options: { scheduleAt: new Date(Date.now() + inMs).toISOString() } }, [{ to, text }]);

  it('replace of a UCS-2 message with plain text keeps it readable when Encoding maps what Send SMS returned', async () => {
    const sent = await schedule('+447911123102', 'Réunion à 10h 😀', 2500);
    expect(sent.items('Op')[0].encoding).toBe('ucs2');
    const res = await run(
      {
        operation: 'replaceMessage',
        messageIds: '={{ $json.messageIds }}',
        newMessage: 'Meeting moved to 11:00',
        replaceOptions: { encoding: '={{ $json.encoding }}' },
      },
      [sent.items('Op')[0]],
    );
    expect(res.items('Op')[0]).toEqual(expect.objectContaining({ status: 'replaced', encoding: 'ucs2' }));
    expect(res.status).toBe('success');
    await waitFor(() => smsc.store.list({ to: '447911123102' }).length === 1, 'the replaced message', 15000);
    expect(smsc.store.list({ to: '447911123102' })[0].text).toBe('Meeting moved to 11:00');
  });

  it('replace without "Request Delivery Receipt" set still asks for the receipt the original asked for', async () => {
    const sent = await run({ to: '+447911123103', message: 'Hi', options: { scheduleAt: new Date(Date.now() + 60_000).toISOString(), requestReceipt: true } }, [
      {},
    ]);
    const id = (sent.items('Op')[0].messageIds as string[])[0];
    const held = smsc.scheduled.get(id)!;
    const before = held.registeredDelivery & 3;
    await run({ operation: 'replaceMessage', messageIds: id, newMessage: 'Hello' }, [{}]);
    expect({ before, after: smsc.scheduled.get(id)!.registeredDelivery & 3 }).toEqual({ before, after: before });
  });
});
