import { PART_OF_LONG, SentDataCodings } from '../../../../src/transport/smpp/sent/sent-data-codings';

describe('SentDataCodings: the data_coding of sent messages, the oldest forgotten first', () => {
  it('keeps the last maxKept IDs and forgets older ones', () => {
    const codings = new SentDataCodings(3);
    for (const [i, id] of ['a', 'b', 'c', 'd', 'e'].entries()) codings.record(id, i);
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => codings.get(id))).toEqual([undefined, undefined, 2, 3, 4]);
    expect(codings.size).toBe(3);
  });

  it('a reused ID goes to the back with its new value, and is not forgotten with its old place', () => {
    const codings = new SentDataCodings(3);
    codings.record('a', 8);
    codings.record('b', 0);
    codings.record('a', 0, true); // the carrier handed out "a" again, now a part of a long message
    codings.record('c', 8);
    codings.record('d', 8); // "b" leaves; "a" was recorded after it
    expect({ a: codings.get('a'), b: codings.get('b'), c: codings.get('c'), d: codings.get('d') }).toEqual({ a: PART_OF_LONG, b: undefined, c: 8, d: 8 });
    codings.record('e', 0); // now "a" is the oldest
    expect(codings.get('a')).toBeUndefined();
    expect(codings.size).toBe(3);
  });

  it('stays bounded over many more records than it keeps, with IDs reused along the way', () => {
    const codings = new SentDataCodings(1000);
    for (let i = 0; i < 50_000; i++) codings.record(`m${i % 1500}`, i % 2 ? 8 : 0);
    expect(codings.size).toBe(1000);
    expect(codings.get('m1499')).toBe(8);
    // The last 1,000 records named m1000-m1499 then m0-m499; m500-m999 are older.
    expect([codings.get('m0'), codings.get('m700')]).toEqual([0, undefined]);
  });

  it('answers the latest record whether it is asked between records, after a long run of records, or never before', () => {
    const codings = new SentDataCodings(4);
    codings.record('a', 8);
    codings.record('b', 0);
    expect(codings.get(' a ')).toBe(8); // asked while records go on
    codings.record('a', 0x19, true);
    codings.record('c', 8);
    expect([codings.get('a'), codings.get('b'), codings.get('c')]).toEqual([0x19 | PART_OF_LONG, 0, 8]);
    codings.record('d', 0);
    codings.record('e', 8); // "b" leaves (recorded 4 records ago); "a" stays (recorded again since)
    expect([codings.get('a'), codings.get('b'), codings.get('e')]).toEqual([0x19 | PART_OF_LONG, undefined, 8]);
    // Many records without a question in between, reusing IDs: the answer is still the latest one.
    for (let i = 0; i < 50; i++) codings.record(`x${i % 3}`, i);
    expect([codings.get('x0'), codings.get('x1'), codings.get('x2'), codings.get('a'), codings.get('e')]).toEqual([48, 49, 47, undefined, undefined]);
    expect(codings.size).toBe(3);
    codings.record('x1', 0, true);
    expect(codings.get('x1')).toBe(PART_OF_LONG);
  });

  it('IDs a carrier padded with spaces are one ID with the trimmed one: asked for, reused and leaving the ring', () => {
    const codings = new SentDataCodings(3);
    codings.record('a   ', 8);
    expect(codings.get('a')).toBe(8); // index built from the ring
    codings.record('  b', 0); // recorded while the index is kept up to date
    codings.record('a', 0); // the carrier handed out "a" again, unpadded
    expect([codings.get(' a '), codings.get('b'), codings.size]).toEqual([0, 0, 2]);
    codings.record('c ', 8); // "a   " leaves its slot, but "a" was recorded again since: it stays
    expect([codings.get('a'), codings.get('c'), codings.size]).toEqual([0, 8, 3]);
    codings.record('d', 8); // "  b" leaves
    expect([codings.get('b'), codings.get('d'), codings.size]).toEqual([undefined, 8, 3]);
    const told: string[] = [];
    codings.onRecord = (id) => told.push(id);
    codings.record(' e\t', 8);
    codings.record('f\u00a0', 0); // whitespace beyond ASCII, as trim() reads it
    codings.record('g\u00e9', 8); // not whitespace: kept
    expect(told).toEqual(['e', 'f', 'g\u00e9']);
    expect([codings.get('e'), codings.get('f'), codings.get(' g\u00e9 ')]).toEqual([8, 0, 8]);
  });
});
