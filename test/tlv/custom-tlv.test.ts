import { CustomTlvError, encodeCustomTlv, encodeCustomTlvs, mergeTlvs } from '../../src/tlv/custom-tlv';
import type { CustomTlvSpec } from '../../src/tlv/custom-tlv';

const hexOf = (spec: CustomTlvSpec): string => encodeCustomTlv(spec, 1).value.toString('hex');

function refusal(spec: CustomTlvSpec, position = 1): CustomTlvError {
  try {
    encodeCustomTlv(spec, position);
  } catch (err) {
    expect(err).toBeInstanceOf(CustomTlvError);
    return err as CustomTlvError;
  }
  throw new Error(`accepted ${JSON.stringify(spec)}`);
}

describe('custom TLVs: encoding', () => {
  it('reads the tag in hex, with or without 0x, and a number from an expression as the tag itself', () => {
    expect(encodeCustomTlv({ tag: '0x1400', type: 'string', value: 'a' }, 1).tag).toBe(0x1400);
    expect(encodeCustomTlv({ tag: '1401', type: 'string', value: 'a' }, 1).tag).toBe(0x1401);
    expect(encodeCustomTlv({ tag: ' 0X14aB ', type: 'string', value: 'a' }, 1).tag).toBe(0x14ab);
    expect(encodeCustomTlv({ tag: 5120, type: 'string', value: 'a' }, 1).tag).toBe(0x1400);
  });

  it('writes each type as the octets a carrier document means', () => {
    // India DLT ids are digit strings sent as octets, without a NUL.
    expect(hexOf({ tag: '0x1400', type: 'string', value: '1101456789012345678' })).toBe(Buffer.from('1101456789012345678').toString('hex'));
    expect(hexOf({ tag: '0x1400', type: 'cstring', value: 'AB' })).toBe('414200');
    expect(hexOf({ tag: '0x1400', type: 'hex', value: '0x01 A2 ff' })).toBe('01a2ff');
    expect(hexOf({ tag: '0x1400', type: 'hex', value: '' })).toBe('');
    expect(hexOf({ tag: '0x1400', type: 'int8', value: '255' })).toBe('ff');
    expect(hexOf({ tag: '0x1400', type: 'int16', value: 258 })).toBe('0102');
    expect(hexOf({ tag: '0x1400', type: 'int32', value: '0xDEADBEEF' })).toBe('deadbeef');
    expect(hexOf({ tag: '0x1400', type: 'string', value: 'café' })).toBe('636166e9');
  });

  it('accepts a standard tag at its SMPP size (user_message_reference, 2 octets)', () => {
    expect(encodeCustomTlv({ tag: '0x0204', type: 'int16', value: '7' }, 1)).toEqual({ tag: 0x0204, value: Buffer.from([0, 7]) });
  });
});

describe('custom TLVs: refusals name the row, the tag and the problem', () => {
  it.each([
    [{ tag: '', type: 'string', value: 'a' }, 'tag', /Custom TLV 3: tag is empty/],
    [{ tag: '0x14G0', type: 'string', value: 'a' }, 'tag', /Custom TLV 3: tag "0x14G0" is not a hex number/],
    [{ tag: '0x10000', type: 'string', value: 'a' }, 'tag', /not a hex number of at most 4 digits/],
    [{ tag: '0x0000', type: 'string', value: 'a' }, 'tag', /outside 0x0001-0xFFFF/],
    [{ tag: 70000, type: 'string', value: 'a' }, 'tag', /outside 0x0001-0xFFFF/],
    [{ tag: 1.5, type: 'string', value: 'a' }, 'tag', /outside 0x0001-0xFFFF/],
    [{ tag: '0x0424', type: 'hex', value: '00' }, 'tag', /0x0424 \(message_payload\) is set by the gateway/],
    [{ tag: '0x020C', type: 'int16', value: '1' }, 'tag', /0x020c \(sar_msg_ref_num\) is set by the gateway/],
    [{ tag: '0x1400', type: 'text', value: 'a' }, 'type', /\(tag 0x1400\): type "text" is not one of string, cstring, hex, int8, int16, int32/],
    [{ tag: '0x1400', type: 'string', value: '' }, 'value', /\(tag 0x1400\): value is empty/],
    [{ tag: '0x1400', type: 'string', value: 'Zoë 😀' }, 'value', /not a Latin-1 character at position 5/],
    [{ tag: '0x1400', type: 'cstring', value: 'a\u0000b' }, 'value', /a NUL character at position 2/],
    [{ tag: '0x1400', type: 'hex', value: 'abc' }, 'value', /odd number of hex digits/],
    [{ tag: '0x1400', type: 'hex', value: 'zz' }, 'value', /is not hex octets/],
    [{ tag: '0x1400', type: 'int8', value: '256' }, 'value', /value 256 does not fit Integer, 1 Octet \(0 to 255\)/],
    [{ tag: '0x1400', type: 'int16', value: '65536' }, 'value', /does not fit Integer, 2 Octets/],
    [{ tag: '0x1400', type: 'int32', value: '4294967296' }, 'value', /does not fit Integer, 4 Octets/],
    [{ tag: '0x1400', type: 'int16', value: '-1' }, 'value', /"-1" is not a whole number of 0 or more/],
    [{ tag: '0x1400', type: 'int16', value: '1.5' }, 'value', /"1.5" is not a whole number/],
    [{ tag: '0x1400', type: 'int16', value: '' }, 'value', /"" is not a whole number/],
    [{ tag: '0x0204', type: 'int8', value: '1' }, 'value', /user_message_reference is 2 octets in SMPP, this value is 1; choose Integer, 2 Octets/],
    [{ tag: '0x1400', type: 'hex', value: 'ab'.repeat(65536) }, 'value', /65536 octets; a TLV holds at most 65535/],
  ])('%j -> %s', (spec, part, message) => {
    const err = refusal(spec as CustomTlvSpec, 3);
    expect(err.part).toBe(part);
    expect(err.position).toBe(3);
    expect(err.message).toMatch(message);
  });

  it('refuses the same tag twice in one list, naming both rows', () => {
    expect(() =>
      encodeCustomTlvs([
        { tag: '0x1400', type: 'string', value: 'a' },
        { tag: '0x1401', type: 'string', value: 'b' },
        { tag: '1400', type: 'string', value: 'c' },
      ]),
    ).toThrow('Custom TLV 3: tag 0x1400 is already set by custom TLV 1; each tag may appear once');
  });
});

describe('custom TLVs: credential and message together', () => {
  const t = (tag: number, v: string) => ({ tag, value: Buffer.from(v) });

  it("the message replaces the credential's TLV of the same tag and adds its own after", () => {
    const merged = mergeTlvs([t(0x1400, 'PE'), t(0x1401, 'T-default')], [t(0x1401, 'T-42'), t(0x1500, 'x')]);
    expect(merged?.map((x) => [x.tag, x.value.toString()])).toEqual([
      [0x1400, 'PE'],
      [0x1401, 'T-42'],
      [0x1500, 'x'],
    ]);
  });

  it('no TLVs on either side gives none (the PDU stays as it was)', () => {
    expect(mergeTlvs(undefined, undefined)).toBeUndefined();
    expect(mergeTlvs([], [])).toBeUndefined();
    expect(mergeTlvs([t(1, 'a')], undefined)).toEqual([t(1, 'a')]);
    expect(mergeTlvs(undefined, [t(2, 'b')])).toEqual([t(2, 'b')]);
  });
});
