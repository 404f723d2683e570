import { PduError } from './pdu-error';

/** Reads a PDU octet by octet; every overrun is a PduError naming the field, never a RangeError. */
export class OctetReader {
  offset = 0;
  constructor(readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  u8(field: string): number {
    if (this.offset >= this.buf.length) throw new PduError(`PDU ends before ${field} (octet ${this.offset})`, field, this.offset);
    return this.buf[this.offset++];
  }

  bytes(field: string, length: number): Buffer {
    if (length > this.remaining) {
      throw new PduError(`${field} needs ${length} octets at octet ${this.offset} but only ${this.remaining} remain`, field, this.offset);
    }
    const value = this.buf.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** Whatever is left (user data may be shorter than TP-UDL says in real captures). */
  rest(): Buffer {
    const value = this.buf.subarray(this.offset);
    this.offset = this.buf.length;
    return value;
  }
}

/** Hex text from a modem (spaces tolerated) to bytes; PduError on odd length or a non-hex digit. */
export function pduHexToBuffer(hex: string): Buffer {
  const compact = hex.replace(/\s+/g, '');
  if (compact.length % 2 !== 0) throw new PduError(`PDU hex has an odd number of digits (${compact.length})`, 'pdu');
  if (!/^[0-9a-fA-F]*$/.test(compact)) throw new PduError('PDU hex contains a character that is not a hex digit', 'pdu');
  return Buffer.from(compact, 'hex');
}
