/**
 * Packing of 7-bit septets into octets (3GPP TS 23.038 6.1.2.1.1), as GSM modems need in PDU mode.
 * SMPP does NOT pack: its short_message carries one septet per octet.
 *
 * `fillBits` zero bits come first, so that after a UDH the septets start on a septet boundary
 * (see gsmFillBits).
 */

/** Packs septets LSB first; the result is ceil((fillBits + 7n) / 8) octets. */
export function packSeptets(septets: ArrayLike<number>, fillBits = 0): Buffer {
  if (!Number.isInteger(fillBits) || fillBits < 0 || fillBits > 6) {
    throw new RangeError(`fillBits must be an integer from 0 to 6 (got ${fillBits})`);
  }
  const totalBits = fillBits + septets.length * 7;
  const out = Buffer.alloc(Math.ceil(totalBits / 8));
  let bitPosition = fillBits;
  for (let i = 0; i < septets.length; i++) {
    const septet = septets[i] & 0x7f;
    const byteIndex = bitPosition >> 3;
    const shift = bitPosition & 7;
    out[byteIndex] |= (septet << shift) & 0xff;
    if (shift > 1) out[byteIndex + 1] |= septet >> (8 - shift);
    bitPosition += 7;
  }
  return out;
}

/** Reads `count` septets after `fillBits` leading bits; stops early if the buffer runs out. */
export function unpackSeptets(buf: Uint8Array, count: number, fillBits = 0): number[] {
  const septets: number[] = [];
  let bitPosition = fillBits;
  for (let i = 0; i < count; i++) {
    if (bitPosition + 7 > buf.length * 8) break;
    const byteIndex = bitPosition >> 3;
    const shift = bitPosition & 7;
    let value = buf[byteIndex] >> shift;
    if (shift > 1) value |= buf[byteIndex + 1] << (8 - shift);
    septets.push(value & 0x7f);
    bitPosition += 7;
  }
  return septets;
}

/** Fill bits after a UDH of `udhOctets` octets (UDHL included) so septets start on a septet boundary. */
export function gsmFillBits(udhOctets: number): number {
  return (7 - ((udhOctets * 8) % 7)) % 7;
}
