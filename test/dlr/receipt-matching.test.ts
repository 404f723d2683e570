// Matching receipts to the messages we sent: exact first, hex/decimal readings only when the
// carrier is known to use them, never when two outstanding ids could read the same.
import { ReceiptTracker, receiptFromPdu } from '../../src/dlr/receipt-tracker';
import type { DeliveryReceipt } from '../../src/dlr/receipt-tracker';
import { blankMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import type { MessagePdu } from '../../src/transport/smpp/pdu/message-pdu';

/** A deliver_sm receipt as a carrier writes it: the id in the text, and optionally receipted_message_id. */
function receiptPdu(textId: string, stat = 'DELIVRD', tlvId?: string): MessagePdu {
  const pdu = blankMessagePdu();
  pdu.source = { ton: 1, npi: 1, addr: '447911000001' };
  pdu.destination = { ton: 5, npi: 0, addr: 'SHOP' };
  pdu.esmClass = 0x04;
  pdu.shortMessage = Buffer.from(`id:${textId} sub:001 dlvrd:001 submit date:2612011200 done date:2612011201 stat:${stat} err:000 text:hello`, 'latin1');
  if (tlvId !== undefined) pdu.tlvs = { receiptedMessageId: tlvId };
  return pdu;
}

function feed(tracker: ReceiptTracker, pdu: MessagePdu): void {
  tracker.handle({ pdu, receivedAt: new Date() });
}

const SHORT_WAIT = 150;

describe('receipt matching: ids that read the same in hex and decimal', () => {
  it('a waiter for "16" does not take the receipt of "10" (hex 10 = decimal 16), text-only receipt', async () => {
    const tracker = new ReceiptTracker();
    const for16 = tracker.waitFor('16', SHORT_WAIT);
    const for10 = tracker.waitFor('10', 2000);
    feed(tracker, receiptPdu('10'));
    expect((await for10)?.messageId).toBe('10');
    expect(await for16).toBeNull();
  });

  it('a waiter for "16" does not take the receipt of "10" when "10" is not waited for (yet)', async () => {
    const tracker = new ReceiptTracker();
    const for16 = tracker.waitFor('16', SHORT_WAIT);
    feed(tracker, receiptPdu('10', 'DELIVRD', '10'));
    expect(await for16).toBeNull();
    // "10" starts waiting late and still gets its own receipt.
    expect((await tracker.waitFor('10', 1000))?.messageId).toBe('10');
  });

  it('an early receipt for "4096" does not satisfy the waiter for "16534" (0x4096 = 16534)', async () => {
    const tracker = new ReceiptTracker();
    feed(tracker, receiptPdu('4096'));
    expect(await tracker.waitFor('16534', SHORT_WAIT)).toBeNull();
    expect((await tracker.waitFor('4096', 1000))?.messageId).toBe('4096');
  });

  it('small sequential decimal ids (1..40) each get their own receipt, whatever the order', async () => {
    const tracker = new ReceiptTracker();
    const ids = Array.from({ length: 40 }, (_, i) => String(i + 1));
    const waits = ids.map((id) => tracker.waitFor(id, 2000));
    for (const id of [...ids].reverse()) feed(tracker, receiptPdu(id, 'DELIVRD'));
    const got = await Promise.all(waits);
    expect(got.map((r) => r?.messageId)).toEqual(ids);
  });
});

describe('receipt matching: a carrier known to write ids in the other base', () => {
  it('"hex": submit_sm_resp gave decimal 16534, the receipt text says 4096 (its hex)', async () => {
    const tracker = new ReceiptTracker({ idFormat: 'hex' });
    const waiting = tracker.waitFor('16534', 1000);
    feed(tracker, receiptPdu('4096'));
    expect((await waiting)?.status).toBe('DELIVRD');
  });

  it('"decimal": submit_sm_resp gave hex 1a2b, the receipt text says 6699', async () => {
    const tracker = new ReceiptTracker({ idFormat: 'decimal' });
    const waiting = tracker.waitFor('1A2B', 1000);
    feed(tracker, receiptPdu('0000006699'));
    expect((await waiting)?.status).toBe('DELIVRD');
  });

  it('"same": the other reading is never used', async () => {
    const tracker = new ReceiptTracker({ idFormat: 'same' });
    const waiting = tracker.waitFor('16534', SHORT_WAIT);
    feed(tracker, receiptPdu('4096'));
    expect(await waiting).toBeNull();
  });

  it('"learn": receipted_message_id beside a decimal text id, in three receipts, teaches "decimal"; later text-only receipts match by it', async () => {
    const tracker = new ReceiptTracker({ idFormat: 'learn' });
    const first = tracker.waitFor('ff', 1000);
    feed(tracker, receiptPdu('255', 'DELIVRD', 'ff'));
    expect((await first)?.messageId).toBe('ff');
    expect(tracker.learnedFormat).toBeNull(); // one receipt is not enough (see receipt-learning-poison.test.ts)
    feed(tracker, receiptPdu('4096', 'DELIVRD', '1000'));
    feed(tracker, receiptPdu('43981', 'DELIVRD', 'abcd'));
    expect(tracker.learnedFormat).toBe('decimal');
    const second = tracker.waitFor('10', 1000);
    const other = tracker.waitFor('16', SHORT_WAIT);
    feed(tracker, receiptPdu('16')); // decimal 16 = hex 10
    expect((await second)?.messageId).toBe('16');
    expect(await other).toBeNull();
  });

  it('"learn": a text-only receipt that two outstanding ids could read is held until the format is known', async () => {
    const tracker = new ReceiptTracker({ idFormat: 'learn' });
    const for10 = tracker.waitFor('10', 2000);
    const for16 = tracker.waitFor('16', 2000);
    feed(tracker, receiptPdu('10')); // "10" exactly, or hex of 16: cannot tell yet
    await new Promise((r) => setTimeout(r, 50));
    for (const [hex, decimal] of [
      ['2a', '42'],
      ['ff', '255'],
      ['3e8', '1000'],
    ])
      feed(tracker, receiptPdu(hex, 'DELIVRD', decimal)); // teach "hex" (42 -> 2a, ...)
    expect(tracker.learnedFormat).toBe('hex');
    expect((await for16)?.messageId).toBe('10');
    const left = await Promise.race([for10, new Promise((r) => setTimeout(() => r('still waiting'), 100))]);
    expect(left).toBe('still waiting');
  });
});

describe('receipt matching: learning from text-only receipts', () => {
  it('"learn": exact matches of ids that read differently in the other base, three of them, teach "same"', async () => {
    const tracker = new ReceiptTracker({ idFormat: 'learn' });
    for (const id of ['1715004123', '1715004124', '1715004125']) {
      const waiting = tracker.waitFor(id, 1000);
      feed(tracker, receiptPdu(id));
      expect((await waiting)?.messageId).toBe(id);
    }
    expect(tracker.learnedFormat).toBe('same');
  });

  it('"learn": a single-digit id reads the same in every base and teaches nothing', async () => {
    const tracker = new ReceiptTracker({ idFormat: 'learn' });
    const waiting = tracker.waitFor('7', 1000);
    feed(tracker, receiptPdu('7'));
    expect((await waiting)?.messageId).toBe('7');
    expect(tracker.learnedFormat).toBeNull();
  });
});

describe('receipt status words and final states', () => {
  it.each([
    ['DELIVERED', 'DELIVRD'],
    ['delivrd', 'DELIVRD'],
    ['Delivered', 'DELIVRD'],
    ['UNDELIVERABLE', 'UNDELIV'],
    ['FAILED', 'UNDELIV'],
    ['EXPIRED', 'EXPIRED'],
    ['REJECTED', 'REJECTD'],
    ['DELETED', 'DELETED'],
    ['ACCEPTED', 'ACCEPTD'],
    ['EN_ROUTE', 'ENROUTE'],
    ['2', 'DELIVRD'],
  ])('stat:%s reads as %s', (word, status) => {
    const receipt = receiptFromPdu(receiptPdu('77', word)) as DeliveryReceipt;
    expect(receipt.status).toBe(status);
  });

  it('keeps a word it does not know as carrierStatus, with status UNKNOWN', () => {
    const receipt = receiptFromPdu(receiptPdu('77', 'WEIRD')) as DeliveryReceipt & { carrierStatus?: string };
    expect(receipt.status).toBe('UNKNOWN');
    expect(receipt.carrierStatus).toBe('WEIRD');
  });

  it('an intermediate ACCEPTD or ENROUTE does not settle a wait for the final state', async () => {
    const tracker = new ReceiptTracker();
    const waiting = tracker.waitFor('77', 2000);
    feed(tracker, receiptPdu('77', 'ENROUTE'));
    feed(tracker, receiptPdu('77', 'ACCEPTD'));
    feed(tracker, receiptPdu('77', 'DELIVERED'));
    expect((await waiting)?.status).toBe('DELIVRD');
  });

  it('settles on the first receipt when asked to', async () => {
    const tracker = new ReceiptTracker();
    const waiting = tracker.waitFor('78', 2000, { settle: 'first' });
    feed(tracker, receiptPdu('78', 'ENROUTE'));
    expect((await waiting)?.status).toBe('ENROUTE');
  });

  it('a wait that ends without a final receipt reports the last intermediate one', async () => {
    const tracker = new ReceiptTracker();
    const waiting = tracker.waitFor('79', SHORT_WAIT);
    feed(tracker, receiptPdu('79', 'ACCEPTD'));
    const got = (await waiting) as DeliveryReceipt & { final?: boolean };
    expect(got).toMatchObject({ status: 'ACCEPTD', final: false });
  });
});

describe('receipts recognised by esm_class wherever their text is', () => {
  const OTP_TEXT = 'Your code is 482913';

  function payloadReceipt(): MessagePdu {
    const pdu = blankMessagePdu();
    pdu.source = { ton: 1, npi: 1, addr: '447911000001' };
    pdu.destination = { ton: 5, npi: 0, addr: 'SHOP' };
    pdu.esmClass = 0x04;
    pdu.tlvs = {
      messagePayload: Buffer.from(`id:9f3 sub:001 dlvrd:001 submit date:2612011200 done date:2612011201 stat:DELIVRD err:000 text:${OTP_TEXT}`, 'latin1'),
    };
    return pdu;
  }

  it('reads a receipt whose text is in message_payload, with no receipted_message_id', () => {
    const receipt = receiptFromPdu(payloadReceipt());
    expect(receipt).toMatchObject({ messageId: '9f3', status: 'DELIVRD' });
    expect(JSON.stringify(receipt)).not.toContain('482913');
  });

  it('an unreadable receipt (esm_class says receipt, no id anywhere) is still a receipt, never a message', () => {
    const pdu = blankMessagePdu();
    pdu.esmClass = 0x04;
    pdu.shortMessage = Buffer.from(`garbage text:${OTP_TEXT}`, 'latin1');
    const receipt = receiptFromPdu(pdu);
    expect(receipt).toMatchObject({ messageId: '', status: 'UNKNOWN' });
    expect(JSON.stringify(receipt)).not.toContain('482913');
  });
});
