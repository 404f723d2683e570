import { SmppTransport } from '../../../src/transport/smpp/smpp-transport';
import { receiptTrackerFor } from '../../../src/dlr/tracker-registry';
import type { InboundMessage } from '../../../src/transport/smpp/types';
import type { SandboxSmsc } from '../../../src/sandbox/sandbox-smsc';
import { sandboxTransportOptions, startSandbox, waitFor } from '../../support/sandbox';
import { simpleSubmit } from '../../support/messages';

describe('SMPP transport: inbound deliver_sm', () => {
  let smsc: SandboxSmsc;
  let t: SmppTransport;
  beforeEach(async () => {
    smsc = await startSandbox({ receipt: { outcome: 'DELIVRD', delayMs: 10 } });
    t = new SmppTransport(sandboxTransportOptions(smsc));
    await t.start();
  });
  afterEach(async () => {
    await t.close(100);
    await smsc.stop();
  });

  it('answers deliver_sm only after the handler finished, and with a temporary error when it failed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: string[] = [];
    let calls = 0;
    t.addInboundHandler(async (m: InboundMessage) => {
      calls++;
      if (calls === 1) throw new Error('workflow could not take it');
      await gate;
      seen.push(m.pdu.shortMessage.toString('latin1'));
    });
    const delivery = smsc.injectMo({ from: '+447911123456', to: '12345', text: 'HELP' });
    await waitFor(() => calls === 2, 'a redelivery after the temporary error');
    expect(seen).toEqual([]);
    release();
    await expect(delivery).resolves.toMatchObject({ delivered: true });
    expect(seen).toEqual(['HELP']);
  });

  it('keeps MO messages at the carrier while nobody takes them (receipt listeners do not count)', async () => {
    receiptTrackerFor(t); // a Send SMS waiting for receipts listens, but takes no MO messages
    const delivery = smsc.injectMo({ from: '+447911123456', to: '12345', text: 'SAFE' });
    const outcome = await Promise.race([delivery.then(() => 'delivered'), new Promise((r) => setTimeout(() => r('still pending'), 150))]);
    expect(outcome).toBe('still pending');
    const got: string[] = [];
    t.addInboundHandler((m) => void got.push(m.pdu.shortMessage.toString('latin1')));
    await expect(delivery).resolves.toMatchObject({ delivered: true });
    expect(got).toEqual(['SAFE']);
  });

  it('acknowledges receipts even with no listener, so the carrier does not retry them forever', async () => {
    await t.submit(simpleSubmit('447911123456', 'hi', { registeredDelivery: 1 }));
    await waitFor(() => smsc.stats.receiptsSent === 1, 'the receipt to be acknowledged');
  });
});
