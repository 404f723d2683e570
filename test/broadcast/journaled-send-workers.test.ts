import { JournaledSendStopped, sendJournaled } from '../../src/broadcast/journaled-send';
import type { SendDone, SendOutcome } from '../../src/broadcast/journaled-send';
import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import { RecipientFeed } from '../../src/broadcast/recipient-feed';

interface Item {
  e164: string;
}
const items = (count: number): Item[] => Array.from({ length: count }, (_, i) => ({ e164: `+4479${String(i).padStart(8, '0')}` }));

async function setup(count: number): Promise<{ feed: RecipientFeed<Item>; journal: MemoryBroadcastJournal; id: string }> {
  const feed = new RecipientFeed<Item>();
  feed.push(items(count));
  feed.end();
  const journal = new MemoryBroadcastJournal();
  const { broadcastId } = await journal.open('b', { windowMs: Infinity });
  return { feed, journal, id: broadcastId };
}

/**
 * The journaled send's workers run without an `await` per message: a send told before it
 * returns continues the loop, one told later resumes it. The pool's bound, the journal's records
 * and the fail-fast stop must hold whichever way sends are told.
 */
describe('sendJournaled workers', () => {
  it('100,000 sends told before they return: no deep stack, every outcome recorded', async () => {
    const { feed, journal, id } = await setup(100_000);
    let depth = 0;
    let deepest = 0;
    await sendJournaled(
      feed,
      { journal, broadcastId: id, run: 'r1', concurrency: 4 },
      {
        skip: () => {
          throw new Error('nothing is skipped');
        },
        send: (_item, _again, _signal, done) => {
          depth++;
          deepest = Math.max(deepest, depth);
          done.sent('accepted');
          depth--;
        },
      },
    );
    expect(deepest).toBe(1);
    const states = await journal.states(
      id,
      items(100_000).map((i) => i.e164),
    );
    expect(states.filter((s) => s === 'accepted').length).toBe(100_000);
  });

  it('never more sends outstanding than `concurrency`, with sends told now, later, or twice', async () => {
    const { feed, journal, id } = await setup(3000);
    let outstanding = 0;
    let most = 0;
    let n = 0;
    const sent: string[] = [];
    await sendJournaled(
      feed,
      { journal, broadcastId: id, run: 'r1', concurrency: 25, batch: 7 },
      {
        skip: () => undefined,
        send: (item, _again, _signal, done: SendDone) => {
          outstanding++;
          most = Math.max(most, outstanding);
          sent.push(item.e164);
          const tell = (o: SendOutcome): void => {
            outstanding--;
            done.sent(o);
            done.sent('failed'); // a second tell is ignored
          };
          const kind = n++ % 3;
          if (kind === 0) tell('accepted');
          else if (kind === 1) setImmediate(() => tell('accepted'));
          else void Promise.resolve().then(() => tell('uncertain'));
        },
      },
    );
    expect(most).toBe(25);
    expect(new Set(sent).size).toBe(3000);
    const states = await journal.states(
      id,
      items(3000).map((i) => i.e164),
    );
    expect(states.filter((s) => s === 'accepted').length).toBe(2000);
    expect(states.filter((s) => s === 'uncertain').length).toBe(1000);
  });

  it('a send that throws stops the run: nothing sent after, that one kept uncertain, waiting ones released', async () => {
    const { feed, journal, id } = await setup(500);
    const held: Array<{ item: Item; done: SendDone; signal: AbortSignal }> = [];
    const calls: string[] = [];
    const run = sendJournaled(
      feed,
      { journal, broadcastId: id, run: 'r1', concurrency: 10 },
      {
        skip: () => undefined,
        send: (item, _again, signal, done) => {
          calls.push(item.e164);
          if (calls.length === 15) throw new Error('the sender broke');
          if (calls.length <= 11) done.sent('accepted');
          else held.push({ item, done, signal });
        },
      },
    );
    await new Promise((r) => setImmediate(r));
    expect(calls.length).toBe(15);
    expect(held.map((h) => h.signal.aborted)).toEqual([true, true, true]);
    // The transport withdraws what waits: told 'failed' (claimed, never sent).
    for (const h of held) h.done.sent('failed');
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JournaledSendStopped);
    expect((err as JournaledSendStopped).reason.message).toBe('the sender broke');
    expect(calls.length).toBe(15);
    const all = items(500).map((i) => i.e164);
    const states = await journal.states(id, all);
    const stateOf = (e164: string): string | undefined => states[all.indexOf(e164)];
    expect(calls.slice(0, 11).map(stateOf)).toEqual(Array(11).fill('accepted'));
    expect(stateOf(calls[14])).toBe('uncertain'); // we cannot tell whether it left
    // Everything else is free for a re-run: held and withdrawn, claimed ahead, never claimed.
    expect(states.filter((s) => s !== undefined).length).toBe(12);
  });

  it('a list of one page, whose states are still being read when the workers start, gets every worker', async () => {
    const { feed, journal, id } = await setup(500);
    let outstanding = 0;
    let most = 0;
    await sendJournaled(
      feed,
      { journal, broadcastId: id, run: 'r1', concurrency: 10 },
      {
        skip: () => undefined,
        send: (_item, _again, _signal, done) => {
          most = Math.max(most, ++outstanding);
          setImmediate(() => {
            outstanding--;
            done.sent('accepted');
          });
        },
      },
    );
    expect(most).toBe(10);
  });
});
