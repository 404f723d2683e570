import type { MessagePdu } from '../../../src/transport/smpp/pdu/message-pdu';

/** A canonical string of a decoded value: Buffers as hex, keys sorted, undefined keys dropped. */
export function canonical(value: unknown): string {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `hex:${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${k}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * expect(actual).toEqual(expected) for PDUs, fast: jest's deep equality walks Buffers element by
 * element (~1 ms a PDU), which would dominate a fuzz run. Falls back to it for the diff on mismatch.
 */
export function expectSamePdu(actual: MessagePdu, expected: MessagePdu): void {
  // `tlvs.received` is the decoder's view of the TLV section as it came, not a field of the PDU:
  // the encoder writes the fields, so two PDUs are the same when their fields are.
  const a = withoutReceived(actual);
  const e = withoutReceived(expected);
  if (canonical(a) !== canonical(e)) expect(a).toEqual(e);
}

function withoutReceived(pdu: MessagePdu): MessagePdu {
  if (pdu.tlvs.received === undefined) return pdu;
  const { received: _received, ...tlvs } = pdu.tlvs;
  return { ...pdu, tlvs };
}
