import { InFlightTable } from '../../../src/transport/smpp/in-flight-table';

interface E {
  seq: number;
  olderInFlight: E | null;
  newerInFlight: E | null;
  name: string;
}
const entry = (name: string): E => ({ seq: 0, olderInFlight: null, newerInFlight: null, name });

/**
 * The window's in-flight submits: what a Map gave (lookup by sequence, oldest first, write order
 * for a requeue) must hold for any order of answers, colliding sequence numbers and growth.
 */
describe('InFlightTable', () => {
  it('agrees with a Map through 5,000 random writes and out-of-order answers', () => {
    const table = new InFlightTable<E>();
    const model = new Map<number, E>();
    const mismatches: string[] = [];
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let seq = 0x7fffff00; // near the wrap, and spread so some keys share a home slot
    for (let step = 0; step < 5_000; step++) {
      if (model.size === 0 || rand(3) > 0) {
        // Sequence numbers with gaps (enquire_link and other requests take some) and some far apart.
        seq = rand(10) === 0 ? seq + 16 * (1 + rand(40)) : seq + 1;
        const e = entry(`e${step}`);
        table.set(seq, e);
        model.set(seq, e);
      } else {
        const keys = [...model.keys()];
        // Mostly the oldest (in-order answers), sometimes any, sometimes one that is not there.
        const k = rand(4) === 0 ? keys[rand(keys.length)] : rand(20) === 0 ? -5 : keys[0];
        if (table.delete(k) !== model.delete(k)) mismatches.push(`delete ${k} at ${step}`);
      }
      if (step % 97 === 0) {
        for (const [k, v] of model) if (table.get(k) !== v) mismatches.push(`get ${k} at ${step}`);
        if (table.get(seq + 1) !== undefined) mismatches.push(`found ${seq + 1} at ${step}`);
      }
      if (table.size !== model.size) mismatches.push(`size at ${step}`);
      if (table.oldest !== (model.size ? model.values().next().value : null)) mismatches.push(`oldest at ${step}`);
    }
    expect(mismatches).toEqual([]);
    expect(table.toArray()).toEqual([...model.values()]);
    table.clear();
    expect(table.size).toBe(0);
    expect(table.oldest).toBeNull();
    expect(table.get(seq)).toBeUndefined();
  });

  it('finds every entry after deletions in a run of colliding slots', () => {
    const table = new InFlightTable<E>();
    // 16 slots at first: 1, 17, 33, 49 share a home slot; 2 lands behind them.
    const es = [1, 17, 33, 2, 49].map((s) => {
      const e = entry(String(s));
      table.set(s, e);
      return e;
    });
    expect(table.delete(17)).toBe(true);
    expect(table.get(1)).toBe(es[0]);
    expect(table.get(33)).toBe(es[2]);
    expect(table.get(2)).toBe(es[3]);
    expect(table.get(49)).toBe(es[4]);
    expect(table.delete(1)).toBe(true);
    expect(table.get(49)).toBe(es[4]);
    expect(table.get(2)).toBe(es[3]);
    expect(table.toArray().map((e) => e.name)).toEqual(['33', '2', '49']);
  });
});
