/**
 * The reassembler on its own, with an injected clock, reading SMS Trigger parts (InboundPart) as
 * the pipeline does. test/reassembly/long-message-paths.test.ts drives it through SMPP and a modem.
 */
import type { InboundPart } from '../../src/inbound/inbound-part';
import { messageEventOf, readInboundPart } from '../../src/inbound/message-event';
import type { MessageEvent } from '../../src/inbound/inbound-event';
import { LongMessageReassembler } from '../../src/reassembly';
import type { AssembledMessage } from '../../src/reassembly';

function part(seq: number, total: number, text: string, extra: Partial<InboundPart> & { ref?: number; refBits?: 8 | 16 | 0 } = {}): InboundPart {
  const { ref = 7, refBits = 8, ...rest } = extra;
  return {
    from: '+447700900123',
    to: '12345',
    text,
    encoding: 'gsm7',
    receivedAt: new Date(1000 + seq),
    scope: '',
    concat: { ref, total, seq, refBits },
    ...rest,
  };
}

/** The event the SMS Trigger emits for a message (server mode names the application). */
const event = (message: AssembledMessage<InboundPart> | null, source: 'carrier' | 'server' = 'carrier'): MessageEvent =>
  messageEventOf(message!, { smsc: 'smsc', source });

describe('LongMessageReassembler', () => {
  let now = 0;
  let incomplete: AssembledMessage<InboundPart>[] = [];
  const make = (
    options: { timeoutMs?: number; maxPendingGroups?: number; maxPendingPerSender?: number; maxPendingChars?: number; maxPendingCharsPerSender?: number } = {},
  ): LongMessageReassembler<InboundPart> =>
    new LongMessageReassembler<InboundPart>({ read: readInboundPart, timeoutMs: 1000, ...options, now: () => now, onIncomplete: (m) => incomplete.push(m) });

  beforeEach(() => {
    now = 0;
    incomplete = [];
  });

  it('passes a single-part message straight through', () => {
    const r = make();
    const single: InboundPart = { from: 'a', to: 'b', text: 'hi', encoding: 'ucs2', receivedAt: new Date(5), scope: '' };
    const whole = r.add(single);
    expect(whole).toEqual({ parts: [single], text: 'hi', totalParts: 1, missingParts: [] });
    expect(event(whole)).toEqual({
      type: 'message',
      from: 'a',
      to: 'b',
      text: 'hi',
      encoding: 'ucs2',
      parts: 1,
      receivedAt: new Date(5).toISOString(),
      smsc: 'smsc',
    });
    expect(r.pendingGroups).toBe(0);
  });

  it('joins parts that arrive out of order, keeps the first copy of a redelivered part, and reports the last arrival time', () => {
    const r = make();
    expect(r.add(part(3, 3, 'C'))).toBeNull();
    expect(r.add(part(1, 3, 'A'))).toBeNull();
    // Redelivery of part 1 (same text), later: were it kept, the message would end at 5000.
    expect(r.offer({ ...part(1, 3, 'A'), receivedAt: new Date(5000) })).toEqual({ kind: 'duplicate', existing: part(1, 3, 'A') });
    const whole = r.add(part(2, 3, 'B'));
    expect(event(whole)).toMatchObject({ text: 'ABC', parts: 3, encoding: 'gsm7', receivedAt: new Date(1003).toISOString() });
    expect(event(whole).incomplete).toBeUndefined();
    expect(whole?.missingParts).toEqual([]);
    expect(r.pendingGroups).toBe(0);
  });

  it('a part numbered like a held one but with another text makes the reference ambiguous: nothing of it is joined, each part handed out alone', () => {
    const r = make();
    expect(r.add(part(1, 2, 'old1'))).toBeNull();
    expect(r.add(part(1, 2, 'new1'))).toBeNull(); // the sender reused reference 7
    expect(r.pendingGroups).toBe(1);
    // new2 could as well be old2: it completes nothing.
    expect(r.add(part(2, 2, 'new2'))).toBeNull();
    expect(r.offer(part(1, 2, 'new1'))).toEqual({ kind: 'duplicate', existing: part(1, 2, 'new1') });
    now = 1000;
    r.expire();
    expect(incomplete.map((m) => event(m))).toEqual([
      expect.objectContaining({ text: 'old1', parts: 1, incomplete: true, ambiguous: true, totalParts: 2, missingParts: [2] }),
      expect.objectContaining({ text: 'new1', parts: 1, incomplete: true, ambiguous: true, totalParts: 2, missingParts: [2] }),
      expect.objectContaining({ text: 'new2', parts: 1, incomplete: true, ambiguous: true, totalParts: 2, missingParts: [1] }),
    ]);
    // Once given up, the reference is free again.
    expect(r.add(part(1, 2, 'next1'))).toBeNull();
    expect(r.add(part(2, 2, 'next2'))?.text).toBe('next1next2');
  });

  it('keeps groups apart by sender, recipient, reference, reference width, part count and scope', () => {
    const r = make();
    r.add(part(1, 2, 'a1'));
    r.add(part(1, 2, 'b1', { ref: 8 }));
    r.add(part(1, 2, 'c1', { from: '+447700900999' }));
    r.add(part(1, 3, 'd1'));
    r.add(part(1, 2, 'e1', { scope: 'esme2' }));
    r.add(part(1, 2, 'f1', { to: '54321' }));
    r.add(part(1, 2, 'g1', { refBits: 16 }));
    r.add(part(1, 2, 'h1', { refBits: 0 }));
    expect(r.pendingGroups).toBe(8);
    expect(event(r.add(part(2, 2, 'b2', { ref: 8 })))?.text).toBe('b1b2');
    expect(event(r.add(part(2, 2, 'e2', { scope: 'esme2' })), 'server')).toMatchObject({ text: 'e1e2', systemId: 'esme2' });
    expect(event(r.add(part(2, 2, 'g2', { refBits: 16 })))?.text).toBe('g1g2');
    expect(event(r.add(part(2, 2, 'a2')))?.text).toBe('a1a2');
    expect(r.pendingGroups).toBe(4);
  });

  it('takes a part numbered outside 1..total, or a part 1 of 1, as a message on its own', () => {
    const r = make();
    r.add(part(1, 2, 'a1'));
    for (const odd of [part(3, 2, 'three of two'), part(0, 2, 'zero of two'), part(1, 1, 'one of one')]) {
      expect(r.add(odd)).toEqual({ parts: [odd], text: odd.text, totalParts: 1, missingParts: [] });
    }
    expect(r.pendingGroups).toBe(1);
    expect(r.add(part(2, 2, 'a2'))?.text).toBe('a1a2');
  });

  it('gives up a group after the timeout and hands over what arrived, marked incomplete with the missing parts', () => {
    const r = make({ timeoutMs: 1000 });
    r.add(part(1, 4, 'A'));
    now = 500;
    r.add(part(3, 4, 'C'));
    now = 999;
    r.expire();
    expect(incomplete).toHaveLength(0);
    now = 1000;
    r.expire();
    expect(incomplete.map((m) => event(m))).toEqual([expect.objectContaining({ text: 'AC', parts: 2, incomplete: true, totalParts: 4, missingParts: [2, 4] })]);
    expect(r.pendingGroups).toBe(0);
    // A straggler after the timeout starts a new group rather than resurrecting the old one.
    expect(r.add(part(2, 4, 'B'))).toBeNull();
  });

  it('evicts the oldest group as incomplete when too many wait at once', () => {
    const r = make({ maxPendingGroups: 2 });
    r.add(part(1, 2, 'first', { ref: 1 }));
    r.add(part(1, 2, 'second', { ref: 2 }));
    r.add(part(1, 2, 'third', { ref: 3 }));
    expect(r.pendingGroups).toBe(2);
    expect(incomplete.map((m) => m.text)).toEqual(['first']);
    expect(r.add(part(2, 2, '!', { ref: 3 }))?.text).toBe('third!');
  });

  it("bounds the messages of one sender: its flood pushes out its own oldest, not another sender's", () => {
    const r = make({ maxPendingGroups: 10, maxPendingPerSender: 3 });
    r.add(part(1, 2, 'honest1', { from: '+447700900999' }));
    for (let ref = 0; ref < 20; ref++) r.add(part(1, 2, `junk${ref}`, { ref }));
    expect(r.pendingGroups).toBe(4);
    expect(incomplete.map((m) => m.text)).toEqual(Array.from({ length: 17 }, (_, ref) => `junk${ref}`));
    expect(r.add(part(2, 2, 'honest2', { from: '+447700900999' }))?.text).toBe('honest1honest2');
  });

  it('bounds the characters held, per sender and in all, giving up the oldest as incomplete', () => {
    const r = make({ maxPendingChars: 25, maxPendingCharsPerSender: 15 });
    r.add(part(1, 3, 'aaaaaaaaaa', { ref: 1 }));
    r.add(part(1, 3, 'bbbbbbbbbb', { ref: 2 })); // 20 characters of one sender: its oldest goes
    expect(incomplete.map((m) => m.text)).toEqual(['aaaaaaaaaa']);
    r.add(part(1, 3, 'cccccccccc', { from: '+447700900999' }));
    r.add(part(1, 3, 'dddddddddd', { from: '+447700900888' })); // 30 in all: the oldest of all goes
    expect(incomplete.map((m) => m.text)).toEqual(['aaaaaaaaaa', 'bbbbbbbbbb']);
    expect(r.pendingChars).toBe(20);
  });

  it('recognises a copy of a part of a message completed within the timeout, and forgets it after', () => {
    const r = make();
    r.add(part(1, 2, 'a1'));
    expect(r.add(part(2, 2, 'a2'))?.text).toBe('a1a2');
    expect(r.offer(part(1, 2, 'a1'))).toEqual({ kind: 'repeat' });
    expect(r.isRepeat(part(2, 2, 'a2'))).toBe(true);
    expect(r.offer(part(1, 2, 'b1'))).toEqual({ kind: 'held' }); // another text: a new message
    now = 1000;
    r.expire();
    expect(r.isRepeat(part(1, 2, 'a1'))).toBe(false);
  });

  it('puts back the parts of a message its owner could not deliver; the completing part, offered again, completes it again', () => {
    const r = make();
    const a1 = part(1, 2, 'a1');
    const a2 = part(2, 2, 'a2');
    r.add(a1);
    const whole = r.add(a2)!;
    r.putBack(whole, a2);
    expect(r.pendingGroups).toBe(1);
    expect(r.add(part(2, 2, 'a2'))?.text).toBe('a1a2');
  });

  it('keeps a message whose time ran out waiting while its owner says so, and gives it up once not', () => {
    let keep = true;
    const r = new LongMessageReassembler<InboundPart>({
      read: readInboundPart,
      timeoutMs: 1000,
      now: () => now,
      ownTimer: false,
      keepWaiting: () => keep,
      onIncomplete: (m) => incomplete.push(m),
    });
    r.add(part(1, 2, 'held elsewhere'));
    now = 1000;
    r.expire();
    expect(r.pendingGroups).toBe(1);
    keep = false;
    now = 1999;
    r.expire(); // another full timeout from when it was kept
    expect(incomplete).toHaveLength(0);
    now = 2000;
    r.expire();
    expect(incomplete.map((m) => m.text)).toEqual(['held elsewhere']);
  });

  it('fires its own timer with the real clock', async () => {
    const r = new LongMessageReassembler<InboundPart>({ read: readInboundPart, timeoutMs: 30, onIncomplete: (m) => incomplete.push(m) });
    r.add(part(1, 2, 'lonely'));
    const deadline = Date.now() + 5000;
    while (incomplete.length === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 5));
    expect(incomplete).toEqual([expect.objectContaining({ text: 'lonely', totalParts: 2, missingParts: [2] })]);
  });

  it('without a timer of its own, gives up only when its owner calls expire()', async () => {
    let clock = 0;
    const r = new LongMessageReassembler<InboundPart>({
      read: readInboundPart,
      timeoutMs: 1,
      now: () => clock,
      ownTimer: false,
      onIncomplete: (m) => incomplete.push(m),
    });
    r.add(part(1, 2, 'waits'));
    clock = 10;
    await new Promise((res) => setTimeout(res, 30));
    expect(incomplete).toHaveLength(0);
    r.expire();
    expect(incomplete.map((m) => m.text)).toEqual(['waits']);
  });

  it('finds a waiting part, and says whether a part is a copy of a held one without adding it', () => {
    const r = make();
    const a1 = part(1, 2, 'a1');
    r.add(a1);
    expect(r.find((p) => p.text === 'a1')).toBe(a1);
    expect(r.find((p) => p.text === 'nothing')).toBeUndefined();
    expect(r.duplicateOf(part(1, 2, 'a1'))).toBe(a1);
    expect(r.duplicateOf(part(1, 2, 'another text'))).toBeUndefined();
    expect(r.duplicateOf(part(2, 2, 'a2'))).toBeUndefined();
    expect(r.pendingGroups).toBe(1);
  });

  it('drain() returns what is waiting and stops the timer', () => {
    const r = make();
    r.add(part(1, 2, 'x'));
    expect(r.drain().map((m) => event(m))).toEqual([expect.objectContaining({ text: 'x', incomplete: true, totalParts: 2, missingParts: [2] })]);
    expect(r.pendingGroups).toBe(0);
  });

  it('rejects settings that cannot work', () => {
    const base = { read: readInboundPart, onIncomplete: () => undefined };
    expect(() => new LongMessageReassembler<InboundPart>({ ...base, timeoutMs: 0 })).toThrow(/timeoutMs must be more than 0 \(got 0\)/);
    expect(() => new LongMessageReassembler<InboundPart>({ ...base, maxPendingGroups: 0.5 })).toThrow(/maxPendingGroups must be a whole number/);
  });
});
