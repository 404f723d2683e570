/**
 * Hostile unit attacks on LongMessageReassembler (and InboundPipeline over it), with an injected
 * clock. Each test states what users rely on; kept only if it fails.
 */
import type { InboundPart } from '../../src/inbound/inbound-part';
import { readInboundPart } from '../../src/inbound/message-event';
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

describe('LongMessageReassembler', () => {
  let now = 0;
  let given: AssembledMessage<InboundPart>[] = [];
  const make = (options: { timeoutMs?: number; maxPendingGroups?: number } = {}): LongMessageReassembler<InboundPart> =>
    new LongMessageReassembler<InboundPart>({ read: readInboundPart, timeoutMs: 1000, ...options, now: () => now, onIncomplete: (m) => given.push(m) });
  beforeEach(() => {
    now = 0;
    given = [];
  });

  /** Every text handed out (complete or given up) with whether it was complete. */
  function run(r: LongMessageReassembler<InboundPart>, parts: InboundPart[]): string[] {
    const out: string[] = [];
    for (const p of parts) {
      const whole = r.add(p);
      if (whole) out.push(`complete:${whole.text}`);
    }
    now += 10_000;
    r.expire();
    for (const m of given) out.push(`incomplete:${m.text}`);
    return out;
  }

  it('same sender reuses a reference while its 3-part message is still coming, parts out of order: no complete text mixed from both', () => {
    const r = make();
    // A1 A2 (A3 still on its way), B1 (same ref: reused), A3 arrives late, then B2 B3.
    const out = run(r, [part(1, 3, 'A1.'), part(2, 3, 'A2.'), part(1, 3, 'B1.'), part(3, 3, 'A3.'), part(2, 3, 'B2.'), part(3, 3, 'B3.')]);
    const completes = out.filter((l) => l.startsWith('complete:'));
    const mixed = completes.filter((l) => /A/.test(l) && /B/.test(l));
    expect({ mixed, out }).toEqual({ mixed: [], out });
  });

  it('a late copy of a part of the older message (reference reused meanwhile) does not join the newer message', () => {
    const r = make();
    // A1 A2 held; B1 reuses the ref (A waits apart); A2 is redelivered (same text as held) -> must not become B's part 2.
    const out = run(r, [part(1, 3, 'A1.'), part(2, 3, 'A2.'), part(1, 3, 'B1.'), part(2, 3, 'A2.'), part(3, 3, 'B3.')]);
    const mixed = out.filter((l) => l.startsWith('complete:') && /A/.test(l) && /B/.test(l));
    expect({ mixed, out }).toEqual({ mixed: [], out });
  });

  it("10,000 never-complete messages from ONE sender do not push out another sender's long message (memory still bounded)", () => {
    const r = make({ timeoutMs: 60_000 });
    const honest = { from: '+447700900999' };
    expect(r.add(part(1, 2, 'Honest part 1. ', honest))).toBeNull();
    for (let i = 0; i < 10_000; i++) r.add(part(1, 2, `junk ${i}`, { ref: i, refBits: 16 }));
    expect(r.pendingGroups).toBeLessThanOrEqual(1001); // bounded: holds
    const whole = r.add(part(2, 2, 'Honest part 2.', honest));
    expect(whole?.text).toBe('Honest part 1. Honest part 2.');
  });

  it('a part redelivered after its message completed is recognised as a repeat (no second, partial message)', () => {
    const r = make();
    const out = run(r, [part(1, 2, 'one '), part(2, 2, 'two'), part(2, 2, 'two')]);
    expect(out).toEqual(['complete:one two']);
  });
});
