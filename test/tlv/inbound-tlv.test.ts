import { CommandId } from '../../src/transport/smpp/pdu/command-ids';
import { blankMessagePdu, decodeMessagePdu, encodeMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import { describeTlv, inboundTlvs, mergeInboundTlvs } from '../../src/tlv/inbound-tlv';

/** A deliver_sm as bytes, with TLV section `tlvs` written by hand (not by our encoder). */
function frameWithSection(section: Buffer): Buffer {
  const head = encodeMessagePdu(CommandId.deliverSm, 7, { ...blankMessagePdu(), shortMessage: Buffer.from('hi') });
  const frame = Buffer.concat([head, section]);
  frame.writeUInt32BE(frame.length, 0);
  return frame;
}

const tlv = (tag: number, value: Buffer): Buffer => {
  const h = Buffer.alloc(4);
  h.writeUInt16BE(tag, 0);
  h.writeUInt16BE(value.length, 2);
  return Buffer.concat([h, value]);
};

describe('inbound TLVs', () => {
  it('lists every TLV of a received PDU in wire order, with names for standard tags and exact hex', () => {
    const section = Buffer.concat([
      tlv(0x1402, Buffer.from('operator-7')),
      tlv(0x001e, Buffer.from('abc123\0')),
      tlv(0x0427, Buffer.from([2])),
      tlv(0x0423, Buffer.from([3, 0, 1])),
      tlv(0x1501, Buffer.alloc(0)),
    ]);
    const pdu = decodeMessagePdu(frameWithSection(section));
    expect(inboundTlvs(pdu.tlvs.received)).toEqual([
      { tag: '0x1402', hex: Buffer.from('operator-7').toString('hex'), text: 'operator-7' },
      { tag: '0x001e', name: 'receipted_message_id', hex: '61626331323300', text: 'abc123' },
      { tag: '0x0427', name: 'message_state', hex: '02' },
      { tag: '0x0423', name: 'network_error_code', hex: '030001' },
      { tag: '0x1501', hex: '' },
    ]);
  });

  it('leaves out the TLVs that frame the message (SAR, message_payload): text and parts say those', () => {
    const section = Buffer.concat([
      tlv(0x020c, Buffer.from([0, 9])),
      tlv(0x020e, Buffer.from([2])),
      tlv(0x020f, Buffer.from([1])),
      tlv(0x0424, Buffer.from('payload')),
      tlv(0x1400, Buffer.from('X')),
    ]);
    expect(inboundTlvs(decodeMessagePdu(frameWithSection(section)).tlvs.received)).toEqual([{ tag: '0x1400', hex: '58', text: 'X' }]);
  });

  it('a PDU without TLVs has none (and no empty section)', () => {
    const pdu = decodeMessagePdu(frameWithSection(Buffer.alloc(0)));
    expect(pdu.tlvs.received).toBeUndefined();
    expect(inboundTlvs(pdu.tlvs.received)).toEqual([]);
  });

  it('gives text only for values that read as text', () => {
    expect(describeTlv(0x1400, Buffer.from('दिल्ली')).text).toBe('दिल्ली');
    expect(describeTlv(0x1400, Buffer.from([0xff, 0xfe])).text).toBeUndefined(); // not UTF-8
    expect(describeTlv(0x1400, Buffer.from('a\nb')).text).toBeUndefined(); // a control character
    expect(describeTlv(0x1400, Buffer.from([0x41, 0, 0x42])).text).toBeUndefined(); // an inner NUL
    expect(describeTlv(0x1400, Buffer.from([0])).text).toBeUndefined(); // only a NUL
    expect(describeTlv(0x1400, Buffer.from([0x41, 0])).text).toBe('A'); // a C-octet string
  });

  it('merges the parts of a long message: each distinct tag and value once, in part order', () => {
    const a = { tag: '0x1400', hex: '41', text: 'A' };
    const b = { tag: '0x1401', hex: '42', text: 'B' };
    const c = { tag: '0x1400', hex: '43', text: 'C' };
    expect(mergeInboundTlvs([[a, b], [a, b], undefined, [c]])).toEqual([a, b, c]);
  });
});
