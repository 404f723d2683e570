// Hostile values in Send SMS's sent-message operations (message IDs, sender): field errors, nothing sent.
import type { IDataObject } from 'n8n-workflow';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox } from '../support/sandbox';
import { runSendSmsOp } from '../support/send-sms-op';

describe('ATTACK: sent-message operations with hostile fields', () => {
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

  it('a message ID with a NUL byte is refused as a field error, and cancels nothing it did not name', async () => {
    const a = await schedule('+447911123101', 'Appointment A', 60_000);
    const b = await schedule('+447911123101', 'Appointment B', 60_000);
    expect(a.status).toBe('success');
    expect(b.status).toBe('success');
    expect(smsc.scheduled.size).toBe(2);
    // Attacker-controlled "message ID" (e.g. from a webhook body): an empty message_id, then
    // injected source (TON 5, NPI 0, CITYALERT) and destination (TON 1, NPI 1) fields.
    const crafted = '\u0000\u0005\u0000CITYALERT\u0000\u0001\u0001447911123101';
    const res = await run({ operation: 'cancelMessage', messageIds: '={{ $json.ids }}' }, [{ ids: [crafted] }], true);
    const heldAfter = smsc.scheduled.size;
    // Expected: a clear "Message IDs" field error and both appointments still held.
    expect({ heldAfter, out: res.items('Op') }).toEqual({
      heldAfter: 2,
      out: [expect.objectContaining({ status: 'failed', error: expect.stringMatching(/Message ID/i) })],
    });
  });

  it('a 100,000-character message ID gets a clear field error (SMPP message_id is at most 64 octets)', async () => {
    const res = await run({ operation: 'queryMessage', messageIds: '={{ $json.id }}' }, [{ id: 'A'.repeat(100_000) }], true);
    expect(res.status).toBe('success');
    const [item] = res.items('Op');
    expect(item.status).toBe('failed');
    expect(String(item.error)).toMatch(/Message ID/i);
    expect(String(item.error)).not.toMatch(/refused the query_sm/);
  });

  it('a garbage Sent From (NUL, 5,000 chars) is a field error, not a carrier error', async () => {
    const res = await run(
      { operation: 'queryMessage', messageIds: 'abc', sentFrom: '={{ $json.from }}' },
      [{ from: 'X\u0000Y' }, { from: 'S'.repeat(5000) }],
      true,
    );
    const out = res.items('Op');
    for (const item of out) {
      expect(item.status).toBe('failed');
      expect(String(item.error)).not.toMatch(/refused the query_sm|did not answer/);
    }
  });
});
