// The message ids our SMPP server hands to applications must not be guessable: an application that
// sees its own ids must not be able to name another application's message (to send it a forged
// status or ask for its receipt).
import { MessageIdSource } from '../../../../src/transport/smpp/server/message-id-source';

describe('server message ids are unguessable', () => {
  const source = new MessageIdSource();
  const ids = Array.from({ length: 5000 }, () => source.next());

  it('are 16 lower-case hex digits, all different', () => {
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('no id follows from the one before (no counter, no shared prefix)', () => {
    let close = 0;
    for (let i = 1; i < ids.length; i++) {
      const gap = BigInt(`0x${ids[i]}`) - BigInt(`0x${ids[i - 1]}`);
      if (gap > -(2n ** 32n) && gap < 2n ** 32n) close++;
    }
    // Random 64-bit ids are this close with probability 2^-31 per pair.
    expect(close).toBe(0);
    expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBeGreaterThan(ids.length - 5);
  });
});
