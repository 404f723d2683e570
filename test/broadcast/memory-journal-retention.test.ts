import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';

/** The in-memory journal lives as long as n8n: it must forget old broadcasts, never the one in use. */
describe('MemoryBroadcastJournal retention', () => {
  const numbers = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `+${prefix}${String(i).padStart(6, '0')}`);

  it('keeps what a re-run needs while within its limits', async () => {
    const journal = new MemoryBroadcastJournal({ maxNumbers: 100 });
    const list = numbers('4479', 40);
    expect((await journal.claim('a', 'run1', list)).size).toBe(40);
    await journal.settle('a', 'run1', { accepted: list.slice(0, 30), uncertain: [], released: list.slice(30) });
    expect(journal.size).toEqual({ broadcasts: 1, numbers: 30 });
    const again = await journal.claim('a', 'run2', list);
    expect([...again]).toEqual(list.slice(30)); // the 30 accepted are not claimed twice
  });

  it('forgets the least recently used broadcast past maxNumbers, never the one being written', async () => {
    const journal = new MemoryBroadcastJournal({ maxNumbers: 100 });
    const old = numbers('4470', 50);
    const recent = numbers('4471', 40);
    await journal.claim('old', 'r', old);
    await journal.claim('recent', 'r', recent);
    await journal.states('old', [old[1]]); // 'old' is now the most recently used
    await journal.claim('new', 'r', numbers('4472', 30)); // 120 > 100: 'recent' goes
    expect(journal.size).toEqual({ broadcasts: 2, numbers: 80 });
    expect(await journal.states('recent', [recent[1]])).toEqual([undefined]);
    expect(await journal.states('old', [old[1]])).toEqual(['sending']);
    // One broadcast larger than the limit on its own is kept whole: it is the one in use.
    await journal.claim('huge', 'r', numbers('4473', 150));
    expect(journal.size).toEqual({ broadcasts: 1, numbers: 150 });
  });

  it('forgets a broadcast idle for longer than maxIdleMs', async () => {
    let now = 1_000_000;
    const journal = new MemoryBroadcastJournal({ maxIdleMs: 60_000 }, () => now);
    await journal.claim('morning', 'r', numbers('4479', 10));
    now += 30_000;
    const noon = numbers('4478', 5);
    await journal.claim('noon', 'r', noon);
    now += 45_000; // 'morning' idle 75 s, 'noon' 45 s
    await journal.states('evening', []);
    expect(journal.size).toEqual({ broadcasts: 2, numbers: 5 });
    expect(await journal.states('noon', [noon[0]])).toEqual(['sending']);
  });
});
