import Redis from 'ioredis';
import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import { RedisBroadcastJournal } from '../../src/broadcast/redis-broadcast-journal';
import type { BroadcastJournal } from '../../src/broadcast/broadcast-journal';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';

/**
 * Queue mode: two workers share the Redis journal, and one worker's clock is 2 h ahead. The
 * dedupe window (1 h) was measured with each worker's own clock, so the same alert re-posted a
 * second later on that worker opened a new generation and went to everyone again. The window is
 * measured on Redis's clock (TIME), the one clock every worker shares.
 */
describe('dedupe window on the Redis journal', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport;
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  beforeAll(async () => {
    smsc = await startSandbox({ recordMode: 'count', maxStoredMessages: 10 });
    transport = new SmppTransport(sandboxTransportOptions(smsc, { windowSize: 20 }));
    await transport.start();
  });
  afterAll(async () => {
    redis.disconnect();
    await transport.close(100);
    await smsc.stop();
  });

  it('a re-post on a worker whose clock is 2 h ahead is within the window: nobody gets it twice', async () => {
    const journal = new RedisBroadcastJournal(redis, { prefix: `test-window-clock-${process.pid}-${Date.now()}:` });
    // The worker's clock, as the runner hands it to the journal.
    const aheadBy2h: BroadcastJournal = {
      open: (id, o) => journal.open(id, { ...o, now: Date.now() + 2 * 3600_000 }),
      states: journal.states.bind(journal),
      claim: journal.claim.bind(journal),
      settle: journal.settle.bind(journal),
    };
    const recipients = Array.from({ length: 100 }, (_, i) => ({ to: `+4479${String(72_000_000 + i)}`, text: 'Boil water notice.', itemIndex: i }));
    const options = (j: BroadcastJournal) => ({
      broadcastId: 'alert:clock',
      dedupeWindowMs: 3600_000,
      sender: transport,
      defaults: { from: 'CITY' },
      message: {},
      journal: j,
      collectResults: false,
    });
    await runBroadcast(recipients, options(journal));
    const again = await runBroadcast(recipients, options(aheadBy2h));
    expect(again.summary).toMatchObject({ broadcastId: 'alert:clock', accepted: 0, skippedAlreadySent: 100 });
    expect(smsc.store.duplicates().extraCopies).toBe(0);
  });
});
