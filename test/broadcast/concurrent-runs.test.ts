import Redis from 'ioredis';
import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import { RedisBroadcastJournal } from '../../src/broadcast/redis-broadcast-journal';
import type { BroadcastJournal } from '../../src/broadcast/broadcast-journal';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';

const prefix = `test-concurrent-bcast-${process.pid}-${Date.now()}:`;

describe('two runs of the same broadcast at once', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport;
  let redis: Redis;
  beforeAll(async () => {
    smsc = await startSandbox({ recordMode: 'count', faults: { latencyMs: 2 } });
    transport = new SmppTransport(sandboxTransportOptions(smsc, { windowSize: 20 }));
    await transport.start();
    redis = new Redis({ host: '127.0.0.1', port: 6379 });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await transport.close(100);
    await smsc.stop();
  });

  it.each([
    ['memory', (): BroadcastJournal => new MemoryBroadcastJournal()],
    ['redis', (): BroadcastJournal => new RedisBroadcastJournal(redis, prefix)],
  ])('sends each number once with a %s journal, and accounts for every recipient in both runs', async (_kind, makeJournal) => {
    smsc.store.clear();
    const journal = makeJournal();
    const list = Array.from({ length: 2000 }, (_, i) => ({ to: `+4479${String(30_000_000 + i).slice(-8)}`, text: 'Shelter in place.', itemIndex: i }));
    const options = {
      broadcastId: `twice-${_kind}-${Date.now()}`,
      sender: transport,
      defaults: { from: 'CITYALERT' },
      message: {},
      journal,
      collectResults: false,
    };
    const [a, b] = await Promise.all([runBroadcast(list, options), runBroadcast(list, options)]);
    expect(smsc.store.uniqueDestinations()).toBe(2000);
    expect(smsc.store.duplicates().extraCopies).toBe(0);
    expect(a.summary.accepted + b.summary.accepted).toBe(2000);
    for (const run of [a, b]) {
      const { accepted, skippedAlreadySent, skippedUncertain, failed } = run.summary;
      expect(accepted + skippedAlreadySent + skippedUncertain + failed).toBe(2000);
    }
  });

  it('numbers the other live run holds are reported as held by another run, not as "may have sent it; turn on Resend Uncertain"', async () => {
    smsc.store.clear();
    const journal = new RedisBroadcastJournal(redis, prefix);
    const list = Array.from({ length: 2000 }, (_, i) => ({ to: `+4479${String(77_000_000 + i)}`, text: 'Shelter in place.', itemIndex: i }));
    const options = { broadcastId: `held-${Date.now()}`, sender: transport, defaults: { from: 'CITYALERT' }, message: {}, journal, collectResults: true };
    const [a, b] = await Promise.all([runBroadcast(list, options), runBroadcast(list, options)]);
    const skipped = [...a.results, ...b.results].filter((r) => r.status === 'skipped_uncertain');
    expect(skipped.length).toBeGreaterThan(0);
    for (const r of skipped) {
      expect(r.error).toMatch(/^another run of this broadcast holds this number/);
      expect(r.error).not.toMatch(/an earlier run of this broadcast may have sent it/);
    }
    expect(smsc.store.duplicates().extraCopies).toBe(0);
  });
});
