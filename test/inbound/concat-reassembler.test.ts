import { ConcatReassembler } from '../../src/inbound/concat-reassembler';
import type { AssembledMessage } from '../../src/inbound/concat-reassembler';
import type { InboundPart } from '../../src/inbound/inbound-part';

function part(seq: number, total: number, text: string, extra: Partial<InboundPart> & { ref?: number } = {}): InboundPart {
  const { ref = 7, ...rest } = extra;
  return { from: '+447700900123', to: '12345', text, encoding: 'gsm7', receivedAt: new Date(1000 + seq), scope: '', concat: { ref, total, seq, refBits: 8 }, ...rest };
}

describe('ConcatReassembler', () => {
  let now = 0;
  let incomplete: AssembledMessage[] = [];
  const make = (options: { timeoutMs?: number; maxPendingGroups?: number } = {}): ConcatReassembler =>
    new ConcatReassembler({ timeoutMs: 1000, ...options, now: () => now, onIncomplete: (m) => incomplete.push(m) });

  beforeEach(() => {
    now = 0;
    incomplete = [];
  });

  it('passes a single-part message straight through', () => {
    const r = make();
    const single: InboundPart = { from: 'a', to: 'b', text: 'hi', encoding: 'ucs2', receivedAt: new Date(5), scope: '' };
    expect(r.add(single)).toEqual({ from: 'a', to: 'b', text: 'hi', encoding: 'ucs2', parts: 1, receivedAt: new Date(5), scope: '' });
    expect(r.pendingGroups).toBe(0);
  });

  it('joins parts that arrive out of order, keeps the first copy of a redelivered part, and reports the last arrival time', () => {
    const r = make();
    expect(r.add(part(3, 3, 'C'))).toBeNull();
    expect(r.add(part(1, 3, 'A'))).toBeNull();
    expect(r.add(part(1, 3, 'X'))).toBeNull(); // redelivery of part 1
    const whole = r.add(part(2, 3, 'B'));
    expect(whole).toMatchObject({ text: 'ABC', parts: 3, encoding: 'gsm7', receivedAt: new Date(1003) });
    expect(whole?.incomplete).toBeUndefined();
    expect(r.pendingGroups).toBe(0);
  });

  it('keeps groups apart by sender, recipient, reference, part count and scope', () => {
    const r = make();
    r.add(part(1, 2, 'a1'));
    r.add(part(1, 2, 'b1', { ref: 8 }));
    r.add(part(1, 2, 'c1', { from: '+447700900999' }));
    r.add(part(1, 3, 'd1'));
    r.add(part(1, 2, 'e1', { scope: 'esme2' }));
    expect(r.pendingGroups).toBe(5);
    expect(r.add(part(2, 2, 'b2', { ref: 8 }))?.text).toBe('b1b2');
    expect(r.add(part(2, 2, 'e2', { scope: 'esme2' }))).toMatchObject({ text: 'e1e2', scope: 'esme2' });
    expect(r.pendingGroups).toBe(3);
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
    expect(incomplete).toEqual([expect.objectContaining({ text: 'AC', parts: 2, incomplete: { totalParts: 4, missingParts: [2, 4] } })]);
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

  it('fires its own timer with the real clock', async () => {
    const r = new ConcatReassembler({ timeoutMs: 30, onIncomplete: (m) => incomplete.push(m) });
    r.add(part(1, 2, 'lonely'));
    const deadline = Date.now() + 5000;
    while (incomplete.length === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 5));
    expect(incomplete).toEqual([expect.objectContaining({ text: 'lonely', incomplete: { totalParts: 2, missingParts: [2] } })]);
  });

  it('drain() returns what is waiting and stops the timer', () => {
    const r = make();
    r.add(part(1, 2, 'x'));
    expect(r.drain()).toEqual([expect.objectContaining({ text: 'x', incomplete: { totalParts: 2, missingParts: [2] } })]);
    expect(r.pendingGroups).toBe(0);
  });

  it('rejects settings that cannot work', () => {
    expect(() => new ConcatReassembler({ timeoutMs: 0, onIncomplete: () => undefined })).toThrow(/timeoutMs must be more than 0 \(got 0\)/);
    expect(() => new ConcatReassembler({ maxPendingGroups: 0.5, onIncomplete: () => undefined })).toThrow(/maxPendingGroups must be a whole number/);
  });
});
