import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FrameError, FrameReader, PDU_HEADER_LENGTH } from '../../src/transport/smpp/pdu/frame-reader';
import { fuzzProperty } from './support/fuzz-run';
import { loadPduFixtures } from './support/pdu-fixtures';
import { referenceSplit } from './support/reference-split';

/**
 * Fuzzing the TCP stream splitter. Replay a failure: FUZZ_SEED=<seed> npx jest test/fuzz/frame-reader
 */

const MAX = 1024; // a small maximum so that over-long lengths are cheap to produce

/** Cuts a buffer at the given (sorted, deduplicated) offsets. */
function chunk(stream: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let previous = 0;
  for (const p of [...points, stream.length]) {
    chunks.push(stream.subarray(previous, p));
    previous = p;
  }
  return chunks;
}

function validFrame(body: Uint8Array, commandId: number, seq: number): Buffer {
  const frame = Buffer.concat([Buffer.alloc(PDU_HEADER_LENGTH), body]);
  frame.writeUInt32BE(frame.length, 0);
  frame.writeUInt32BE(commandId >>> 0, 4);
  frame.writeUInt32BE(seq >>> 0, 12);
  return frame;
}

const fixtureFrames = loadPduFixtures().map((f) => f.frame);
const validFrameArb = fc.oneof(
  fc.constantFrom(...fixtureFrames),
  fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff })).map(([b, id, seq]) => validFrame(b, id, seq)),
);

/** Pieces of a hostile stream: good frames, a bare hostile length, random bytes. */
const segmentArb = fc.oneof(
  { weight: 6, arbitrary: validFrameArb },
  {
    weight: 1,
    arbitrary: fc.constantFrom(0, 1, 15, MAX + 1, 65_537, 0xffffffff).map((n) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n >>> 0, 0);
      return b;
    }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 12 }).map((a) => Buffer.from(a)) },
);

describe('FrameReader (fuzz)', () => {
  it('splits a valid stream into the same frames whatever the chunking', () => {
    fuzzProperty(
      'FrameReader chunking of valid streams',
      fc.property(fc.array(validFrameArb, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
        const stream = Buffer.concat(frames);
        const reader = new FrameReader(MAX);
        const out: Buffer[] = [];
        for (const c of chunk(stream, cuts)) out.push(...reader.push(c));
        assert.equal(out.length, frames.length, 'frame count');
        out.forEach((f, i) => assert.ok(f.equals(frames[i]), `frame ${i} differs`));
        assert.equal(reader.bufferedBytes, 0, 'nothing left buffered');
      }),
      8_000,
    );
  });

  it('on any byte stream and chunking: only frames of the stream, a FrameError exactly when a bad length is reached, then silence; buffering stays under the maximum', () => {
    fuzzProperty(
      'FrameReader hostile streams',
      fc.property(fc.array(segmentArb, { minLength: 1, maxLength: 10 }), fc.array(fc.nat(), { maxLength: 24 }), (segments, cuts) => {
        const stream = Buffer.concat(segments);
        const expected = referenceSplit(stream, MAX);
        const reader = new FrameReader(MAX);
        const out: Buffer[] = [];
        let errors = 0;
        for (const c of chunk(stream, cuts)) {
          try {
            const frames = reader.push(c);
            if (errors > 0) assert.equal(frames.length, 0, 'no frames after a FrameError');
            out.push(...frames);
          } catch (err) {
            assert.ok(err instanceof FrameError, `threw ${String(err)}`);
            assert.match(err.message, /command_length \d+ is outside 16\.\.1024/);
            out.push(...err.frames);
            errors++;
          }
          assert.ok(reader.bufferedBytes < MAX, `buffered ${reader.bufferedBytes} bytes`);
        }
        assert.equal(errors, expected.badLength ? 1 : 0, 'FrameError count');
        // Every complete frame before a bad length is given out, those in the same chunk too (with
        // the FrameError): they may be answers to messages the peer took. In order, each the right one.
        assert.equal(out.length, expected.frames.length, 'frame count');
        out.forEach((f, i) => assert.ok(f.equals(expected.frames[i]), `frame ${i} differs`));
      }),
      12_000,
    );
  });

  it('reports a hostile command_length as soon as its 4 bytes arrive, without waiting for a body', () => {
    fuzzProperty(
      'FrameReader early bad length',
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: PDU_HEADER_LENGTH - 1 }), fc.integer({ min: MAX + 1, max: 0xffffffff })),
        fc.integer({ min: 1, max: 3 }),
        (length, split) => {
          const header = Buffer.alloc(4);
          header.writeUInt32BE(length, 0);
          const reader = new FrameReader(MAX);
          assert.deepEqual(reader.push(header.subarray(0, split)), []);
          assert.throws(
            () => reader.push(header.subarray(split)),
            (err: unknown) => err instanceof FrameError && err.commandLength === length,
          );
          assert.deepEqual(reader.push(Buffer.from([0, 0, 0, 16])), []);
        },
      ),
      2_000,
    );
  });

  it('reassembles a maximum-size frame sent one byte at a time without re-copying what it buffered (linear work)', () => {
    // A peer that trickles a 64 KiB PDU byte by byte must not make us copy the growing buffer on
    // every byte: that is ~2 GB of copying (measured 2.4 s of CPU) per PDU, a cheap CPU attack.
    // We count the bytes allocated through Buffer's allocators while the frame is reassembled.
    const length = 65_536;
    const frame = validFrame(Buffer.alloc(length - PDU_HEADER_LENGTH, 0x41), 0x15, 1);
    const reader = new FrameReader(length);
    const allocated = countBufferAllocations(() => {
      let frames = 0;
      for (let i = 0; i < frame.length; i++) frames += reader.push(frame.subarray(i, i + 1)).length;
      expect(frames).toBe(1);
    });
    expect(allocated).toBeLessThan(8 * length);
  });
});

/** Bytes allocated through Buffer.alloc/allocUnsafe/allocUnsafeSlow/from while `body` runs. */
function countBufferAllocations(body: () => void): number {
  const original = { alloc: Buffer.alloc, allocUnsafe: Buffer.allocUnsafe, allocUnsafeSlow: Buffer.allocUnsafeSlow, from: Buffer.from };
  let bytes = 0;
  const count =
    <A extends unknown[], R extends Buffer>(fn: (...args: A) => R) =>
    (...args: A): R => {
      const result = fn.apply(Buffer, args);
      bytes += result.length;
      return result;
    };
  Buffer.alloc = count(original.alloc);
  Buffer.allocUnsafe = count(original.allocUnsafe);
  Buffer.allocUnsafeSlow = count(original.allocUnsafeSlow);
  // Buffer.from is overloaded; counting through a loose signature is enough here.
  Buffer.from = count(original.from as (...args: unknown[]) => Buffer) as typeof Buffer.from;
  try {
    body();
  } finally {
    Object.assign(Buffer, original);
  }
  return bytes;
}
