/** Hostile long-message tests through SMPP (sandbox over TCP) and the simulated modem; kept only if they fail. */
import type { MessagePart } from '../../src/encoding';
import { waitFor } from '../transport/modem/modem-fixture';
import { ALICE, BOB, A, B, partsOf, line, PATHS } from './support/long-message-paths';
import type { Path } from './support/long-message-paths';

/** GSM-7 parts built by hand (one septet per octet, as SMPP carries them; the modem path packs them). */
function gsmParts(bodies: number[][], ref: number): MessagePart[] {
  return bodies.map(
    (septets, i) =>
      ({
        udhi: true,
        dataCoding: 0,
        shortMessage: Buffer.from([0x05, 0x00, 0x03, ref, bodies.length, i + 1, ...septets]),
      }) as unknown as MessagePart,
  );
}

const gsm = (s: string): number[] => [...s].map((c) => c.charCodeAt(0)); // ASCII letters/digits/space are the same in GSM-7

describe.each(PATHS)('long messages through %s', (_name, start) => {
  let path: Path;
  afterEach(async () => path?.stop());

  async function expectHandedOut(expected: string[]): Promise<void> {
    await waitFor(() => Object.values(path.readers()).every((seen) => seen.length >= expected.length), `${expected.length} message(s)`, 20_000);
    // a little longer: nothing extra may follow
    await new Promise((r) => setTimeout(r, 200));
    const readers = path.readers();
    expect(readers).toEqual(Object.fromEntries(Object.keys(readers).map((reader) => [reader, expected])));
  }

  it('a part redelivered AFTER its message completed (its ack was lost) is not handed out a second time', async () => {
    path = await start();
    const [a1, a2] = partsOf(A, 5);
    await path.send([a1, a2], ALICE);
    await expectHandedOut([line(true, 2, 2, A)]);
    await path.send([a1], ALICE); // the SMSC never saw the resp of part 1 and delivers it again
    await path.giveUp();
    await expectHandedOut([line(true, 2, 2, A)]);
  });

  it('same sender, same reference, two messages interleaved (A1 B1 A2 B2): no complete text mixed from A and B', async () => {
    path = await start();
    const [a1, a2] = partsOf(A, 5);
    const [b1, b2] = partsOf(B, 5);
    await path.send([a1, b1, a2, b2], ALICE);
    await path.giveUp();
    await waitFor(() => Object.values(path.readers()).every((seen) => seen.length >= 1), 'something handed out', 20_000);
    const mixed = [line(true, 2, 2, b1.text + a2.text), line(true, 2, 2, a1.text + b2.text)];
    const readers = path.readers();
    const mixedOut = Object.fromEntries(Object.entries(readers).map(([reader, seen]) => [reader, seen.filter((l) => mixed.includes(l))]));
    expect(mixedOut).toEqual(Object.fromEntries(Object.keys(readers).map((reader) => [reader, []])));
  });

  it("a flood of 1,000 never-complete messages from one sender does not break another sender's long message", async () => {
    path = await start();
    const [b1, b2] = partsOf(B, 5);
    await path.send([b1], BOB);
    const firsts = Array.from({ length: 1_000 }, (_, ref) => partsOf(`Flood ${ref}: ${'x'.repeat(200)}`, ref, 'udh16')[0]);
    await path.send(firsts, ALICE);
    await path.send([b2], BOB);
    await waitFor(() => Object.values(path.readers()).every((seen) => seen.some((l) => l.includes(b2.text))), "Bob's part 2 handed out", 20_000);
    const readers = path.readers();
    const bobs = Object.fromEntries(Object.entries(readers).map(([reader, seen]) => [reader, seen.filter((l) => l.includes(b1.text) || l.includes(b2.text))]));
    expect(bobs).toEqual(Object.fromEntries(Object.keys(readers).map((reader) => [reader, [line(true, 2, 2, B)]])));
  });

  it('a GSM-7 escape (euro sign) split across two parts decodes as the character', async () => {
    path = await start();
    // "Pay 10" ESC | "e now" -> "Pay 10€ now"
    const parts = gsmParts(
      [
        [...gsm('Pay 10'), 0x1b],
        [0x65, ...gsm(' now')],
      ],
      42,
    );
    await path.send(parts, ALICE);
    await expectHandedOut([line(true, 2, 2, 'Pay 10\u20ac now')]);
  });
});
