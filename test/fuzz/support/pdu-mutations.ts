import fc from 'fast-check';
import { PDU_HEADER_LENGTH } from '../../../src/transport/smpp/pdu/frame-reader';
import { CommandId } from '../../../src/transport/smpp/pdu/command-ids';

/**
 * Mutations of real PDUs, in the style of a mutation fuzzer (AFL/radamsa): each mutation is a
 * small description drawn by fast-check (so it shrinks and replays from the seed) and applied to a
 * copy of a seed frame. Positions are drawn as naturals and taken modulo the current length.
 */
export type Mutation =
  | { kind: 'flipBits'; at: number; mask: number }
  | { kind: 'setByte'; at: number; value: number }
  | { kind: 'setU16'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'append'; bytes: Uint8Array }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'remove'; at: number; count: number }
  | { kind: 'dropNuls'; from: number }
  | { kind: 'longRun'; at: number; count: number; value: number }
  | { kind: 'commandId'; value: number }
  | { kind: 'commandLength'; value: LengthChoice }
  | { kind: 'splice'; other: number; cutA: number; cutB: number };

/** command_length corruptions: relative to the real length or absolute hostile values. */
export type LengthChoice = { relative: number } | { absolute: number };

/** Command ids worth hitting: every one we handle, unknown ones, reserved and response-bit variants. */
export const INTERESTING_COMMAND_IDS: readonly number[] = [
  ...Object.values(CommandId),
  0x00000003,
  0x00000007,
  0x00000008,
  0x0000000b,
  0x00000021,
  0x00000102,
  0x00000103,
  0x00000111,
  0x00000112,
  0x00000113,
  0x80000003,
  0x80000009,
  0x80000021,
  0x80000103,
  0x00000000,
  0x00000010,
  0x000000ff,
  0x00010000,
  0x7fffffff,
  0x80000001,
  0x800000ff,
  0xffffffff,
];

const HOSTILE_LENGTHS: readonly number[] = [0, 1, 4, 15, 16, 17, 255, 4096, 16_384, 16_385, 65_535, 65_536, 65_537, 0x7fffffff, 0x80000000, 0xffffffff];

const bytes = (max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: max });

export function mutationArb(seedCount: number): fc.Arbitrary<Mutation> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('flipBits' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('setByte' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff, 0x40, 0x08) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('setU16' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 2, 0xff, 0x100, 0x7fff, 0xffff) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('append' as const), bytes: bytes(64) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: bytes(32) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('dropNuls' as const), from: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('longRun' as const),
        at: fc.nat(),
        count: fc.integer({ min: 1, max: 300 }),
        value: fc.constantFrom(0x41, 0x00, 0xff),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('commandId' as const),
        value: fc.oneof(fc.constantFrom(...INTERESTING_COMMAND_IDS), fc.nat({ max: 0xffffffff })),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('commandLength' as const),
        value: fc.oneof(
          fc.record({ relative: fc.integer({ min: -20, max: 20 }) }),
          fc.record({ absolute: fc.oneof(fc.constantFrom(...HOSTILE_LENGTHS), fc.nat({ max: 0xffffffff })) }),
        ),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('splice' as const), other: fc.nat({ max: Math.max(0, seedCount - 1) }), cutA: fc.nat(), cutB: fc.nat() }),
    },
  );
}

function writeU32(buf: Buffer, value: number): Buffer {
  if (buf.length < 4) return buf;
  buf.writeUInt32BE(value >>> 0, 0);
  return buf;
}

/** Applies one mutation; returns a new buffer (the input is never changed). */
export function applyMutation(input: Buffer, m: Mutation, seeds: readonly Buffer[]): Buffer {
  const buf = Buffer.from(input);
  const at = (n: number, len = buf.length): number => (len === 0 ? 0 : n % len);
  switch (m.kind) {
    case 'flipBits':
      if (buf.length > 0) buf[at(m.at)] ^= m.mask;
      return buf;
    case 'setByte':
      if (buf.length > 0) buf[at(m.at)] = m.value;
      return buf;
    case 'setU16':
      if (buf.length >= 2) buf.writeUInt16BE(m.value, at(m.at, buf.length - 1));
      return buf;
    case 'truncate':
      return buf.subarray(0, at(m.at, buf.length + 1));
    case 'append':
      return Buffer.concat([buf, m.bytes]);
    case 'insert': {
      const i = at(m.at, buf.length + 1);
      return Buffer.concat([buf.subarray(0, i), m.bytes, buf.subarray(i)]);
    }
    case 'remove': {
      const i = at(m.at);
      return Buffer.concat([buf.subarray(0, i), buf.subarray(i + m.count)]);
    }
    case 'dropNuls':
      // C-strings lose their terminators from here on: unterminated and over-long fields.
      for (let i = Math.max(PDU_HEADER_LENGTH, at(m.from)); i < buf.length; i++) if (buf[i] === 0) buf[i] = 0x41;
      return buf;
    case 'longRun': {
      const i = at(m.at, buf.length + 1);
      return Buffer.concat([buf.subarray(0, i), Buffer.alloc(m.count, m.value), buf.subarray(i)]);
    }
    case 'commandId':
      if (buf.length >= 8) buf.writeUInt32BE(m.value >>> 0, 4);
      return buf;
    case 'commandLength':
      return writeU32(buf, 'relative' in m.value ? Math.max(0, buf.length + m.value.relative) : m.value.absolute);
    case 'splice': {
      const other = seeds[m.other % seeds.length];
      return Buffer.concat([buf.subarray(0, at(m.cutA, buf.length + 1)), other.subarray(at(m.cutB, other.length + 1))]);
    }
  }
}

export function applyMutations(input: Buffer, mutations: readonly Mutation[], seeds: readonly Buffer[]): Buffer {
  return mutations.reduce((buf, m) => applyMutation(buf, m, seeds), input);
}

/** Sets command_length to the real length (keeps the framing valid so the body is what gets fuzzed). */
export function withTrueLength(frame: Buffer): Buffer {
  if (frame.length >= 4) frame.writeUInt32BE(frame.length, 0);
  return frame;
}

/** A mutated seed frame: `fixLength` keeps command_length true, so only the header/body is hostile. */
export function mutatedFrameArb(seeds: readonly Buffer[], options: { fixLength: boolean; minLength?: number }): fc.Arbitrary<Buffer> {
  return fc.tuple(fc.nat({ max: seeds.length - 1 }), fc.array(mutationArb(seeds.length), { minLength: 1, maxLength: 4 })).map(([i, mutations]) => {
    let frame = applyMutations(seeds[i], mutations, seeds);
    if (options.minLength !== undefined && frame.length < options.minLength) {
      frame = Buffer.concat([frame, Buffer.alloc(options.minLength - frame.length)]);
    }
    return options.fixLength ? withTrueLength(frame) : frame;
  });
}
