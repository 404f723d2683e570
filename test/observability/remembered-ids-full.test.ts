/**
 * Attack: SmppSubmitCounter remembers at most 20,000 accepted ids for 24 h. Once 20,000 accepted
 * messages have no final receipt yet (a broadcast at 1,000 msg/s with receipts taking 30 s; or a
 * carrier that sends no receipt for some messages: they stay 24 h), every later receipt of a
 * message this process DID send is counted in sms_gateway_receipts_unmatched_total ("a message
 * ID this process never sent") and is missing from the receipt latency histogram.
 * The 20,000 pending ids are put in directly (the same state 20,000 sends without a receipt leave).
 */
import { acquireSmppTransport, closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { gatewayMetrics } from '../../src/observability';
import type { SmppSubmitCounter } from '../../src/observability/smpp-observer';
import { simpleSubmit } from '../support/messages';
import { startSandbox, waitFor } from '../support/sandbox';

describe('attack: remembered ids full', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => { process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0'; });
  beforeEach(async () => { smsc = await startSandbox({ receipt: { outcome: 'DELIVRD', delayMs: 20 } }); });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  it('receipts of our own messages are not "unmatched" while 20,000 others await theirs', async () => {
    const name = `remember-${Date.now()}`;
    const lease = await acquireSmppTransport({ host: '127.0.0.1', port: smsc.port, systemId: 'sandbox', password: 'sandbox', enquireLinkMs: 0, credentialName: name });
    const counter = (lease.resource.options as unknown as { observer: SmppSubmitCounter }).observer;
    expect(counter.credential).toBe(name);
    const now = Date.now();
    for (let i = 0; i < 20_000; i++) counter.acceptedAt.set(`pending-${i}`, now);
    await Promise.all([...Array(10)].map((_, i) => lease.resource.submit(simpleSubmit(`4477009001${10 + i}`, 'x', { registeredDelivery: 1 }))));
    await waitFor(() => smsc.stats.receiptsSent === 10, 'receipts');
    await waitFor(() => gatewayMetrics().receipts.get(name, 'DELIVRD', 'GB') === 10, 'counted');
    const unmatched = gatewayMetrics().receiptsUnknown.get(name);
    const latency = gatewayMetrics().receiptLatency.child(name).count;
    console.log(`our 10 receipts: unmatched ${unmatched}, in latency histogram ${latency}`);
    expect(unmatched).toBe(0);
    expect(latency).toBe(10);
    await lease.release();
  });
});
