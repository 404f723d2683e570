import { sendJournaled } from '../../src/broadcast/journaled-send';
import type { SendDone } from '../../src/broadcast/journaled-send';
import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import { RecipientFeed } from '../../src/broadcast/recipient-feed';

/**
 * A long-running n8n process runs one broadcast after another. The objects a run hands to the
 * sender must be of the same classes each time: a class declared per run gave every broadcast
 * objects of new shapes, so V8 threw away the code it had optimised for the previous broadcast
 * and compiled it again on its helper threads (a quarter of the CPU of a 4,000-message broadcast
 * at window 10).
 */
async function doneOfOneRun(name: string): Promise<SendDone> {
  const feed = new RecipientFeed<{ e164: string }>();
  feed.push([{ e164: '+447900000001' }]);
  feed.end();
  const journal = new MemoryBroadcastJournal();
  const { broadcastId } = await journal.open(name, { windowMs: Infinity });
  let told: SendDone | null = null;
  await sendJournaled(
    feed,
    { journal, broadcastId, run: `${name}-run`, concurrency: 2 },
    {
      skip: () => undefined,
      send: (_item, _again, _signal, done) => {
        told = done;
        done.sent('accepted');
      },
    },
  );
  if (!told) throw new Error('nothing was sent');
  return told;
}

describe('one broadcast after another in one process', () => {
  it('hands the sender objects of the same class in every run', async () => {
    const first = await doneOfOneRun('first');
    const second = await doneOfOneRun('second');
    expect(Object.getPrototypeOf(second)).toBe(Object.getPrototypeOf(first));
    // ... and the worker behind each is of one class too (its methods are the ones V8 optimised).
    const workerOf = (done: SendDone): object => Object.getPrototypeOf((done as unknown as { worker: object }).worker) as object;
    expect(workerOf(second)).toBe(workerOf(first));
  });
});
