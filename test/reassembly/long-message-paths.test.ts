/**
 * Long messages that do not arrive as the standard draws them, through both ways parts come in:
 * SMPP (a carrier bind to the sandbox SMSC over TCP, into the SMS Trigger's InboundPipeline) and
 * a GSM modem (the simulator behind a real pseudo-terminal; parts shown directly with +CMT). On
 * the modem both readers of the parts are checked: the modem's own whole texts (addTextHandler,
 * which also decides when parts leave the SIM) and the SMS Trigger's pipeline fed part by part
 * (as nodes/SmsTrigger/sources/modem-source.ts does).
 *
 * Every path must hand out the same messages: never a text mixed from two messages, never a part
 * lost without a word, and a bounded number of messages waiting whatever a sender does.
 */
import { waitFor } from '../transport/modem/modem-fixture';
import { ALICE, BOB, A, B, partsOf, line, PATHS } from './support/long-message-paths';
import type { Path } from './support/long-message-paths';

describe.each(PATHS)('long messages through %s', (_name, start) => {
  let path: Path;
  afterEach(async () => path?.stop());

  /** Every reader of the path handed out exactly `expected`. */
  async function expectHandedOut(expected: string[]): Promise<void> {
    await waitFor(() => Object.values(path.readers()).every((seen) => seen.length >= expected.length), `${expected.length} message(s)`, 20_000);
    for (const [reader, seen] of Object.entries(path.readers())) expect({ reader, seen }).toEqual({ reader, seen: expected });
  }

  it('a sender reuses a reference while a message waits: nothing of that reference is joined, each part handed out alone, never mixed', async () => {
    path = await start();
    const [a1] = partsOf(A, 5);
    const [b1, b2] = partsOf(B, 5);
    await path.send([a1, b1, b2], ALICE);
    await path.giveUp();
    await expectHandedOut([line(false, 1, 2, a1.text), line(false, 1, 2, b1.text), line(false, 1, 2, b2.text)]);
  });

  it('a part delivered twice (its acknowledgement was lost) counts once', async () => {
    path = await start();
    const [a1, a2] = partsOf(A, 5);
    await path.send([a1, a1, a2], ALICE);
    await expectHandedOut([line(true, 2, 2, A)]);
    await path.giveUp();
    await expectHandedOut([line(true, 2, 2, A)]);
  });

  it('an 8-bit and a 16-bit reference with the same number are two messages', async () => {
    path = await start();
    const [a1, a2] = partsOf(A, 5, 'udh8');
    const [b1, b2] = partsOf(B, 5, 'udh16');
    await path.send([a1, b1, a2, b2], ALICE);
    await expectHandedOut([line(true, 2, 2, A), line(true, 2, 2, B)]);
  });

  it('two senders using the same reference at once get their own messages', async () => {
    path = await start();
    const [a1, a2] = partsOf(A, 5);
    const [b1, b2] = partsOf(B, 5);
    await path.send([a1], ALICE);
    await path.send([b1], BOB);
    await path.send([a2], ALICE);
    await path.send([b2], BOB);
    await expectHandedOut([line(true, 2, 2, A), line(true, 2, 2, B)]);
  });

  it('a part that gives another total for the same reference belongs to another message', async () => {
    path = await start();
    const [a1] = partsOf(A, 9);
    const [, b2] = partsOf(B, 9, 'udh8', (seq) => ({ total: 3, seq }));
    await path.send([a1, b2], ALICE);
    await path.giveUp();
    await expectHandedOut([line(false, 1, 2, a1.text), line(false, 1, 3, b2.text)]);
  });

  it('a part numbered outside 1..total is a message on its own, and does not complete another', async () => {
    path = await start();
    const [a1, a2] = partsOf(A, 7);
    const [z] = partsOf(B, 7, 'udh8', () => ({ total: 2, seq: 3 }));
    const [zero] = partsOf(B, 7, 'udh8', () => ({ total: 2, seq: 0 }));
    await path.send([z, a1, zero, a2], ALICE);
    await expectHandedOut([line(true, 1, 1, z.text), line(true, 1, 1, zero.text), line(true, 2, 2, A)]);
    await path.giveUp();
    await expectHandedOut([line(true, 1, 1, z.text), line(true, 1, 1, zero.text), line(true, 2, 2, A)]);
  });

  it('10,000 messages from one sender that never complete: at most 100 wait, each one handed out, oldest first', async () => {
    path = await start();
    const firsts = Array.from({ length: 10_000 }, (_, ref) => partsOf(`Message ${ref}: ${'x'.repeat(200)}`, ref, 'udh16')[0]);
    await path.send(firsts, ALICE);
    const given = firsts.map((part) => line(false, 1, 2, part.text));
    // Room for the sender's 100 newest: the 9,900 before them were given up as they were pushed out.
    await expectHandedOut(given.slice(0, 9_900));
    await path.giveUp();
    await expectHandedOut(given);
  });
});
