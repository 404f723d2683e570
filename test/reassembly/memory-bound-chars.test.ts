/**
 * "Memory is bounded under a flood of incomplete messages": maxPendingGroups (Max Unfinished Long
 * Messages, default 1000) bounds messages, not what they hold. A part's text comes from
 * message_payload when present (decodeMessage), up to a 64 KB PDU, with the UDH inside it; a
 * message has up to 255 parts. An application bound to the SMPP server (submit_sm) or a carrier
 * (deliver_sm) can so make each unfinished message hold ~15 MB: 1000 of them ~15 GB.
 * What is pushed out goes to onIncomplete (the pipeline emits it as incomplete), never silently.
 * Drives the real decoding (inboundPartFromPdu, as the pipeline does for submit_sm/deliver_sm).
 */
import { inboundPartFromPdu } from '../../src/inbound/inbound-part';
import type { InboundPart } from '../../src/inbound/inbound-part';
import { readInboundPart } from '../../src/inbound/message-event';
import { LongMessageReassembler } from '../../src/reassembly';
import { blankMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';

/** What 1000 unfinished long messages of real SMS parts can hold at most: 255 parts of 160 characters each. */
const LEGIT_BOUND_CHARS = 1000 * 255 * 160;

describe('memory bound of unfinished long messages', () => {
  it('3 unfinished messages of 254 parts with 60 KB message_payload each do not hold more than 1000 real ones could', () => {
    let givenUp = 0;
    const r = new LongMessageReassembler<InboundPart>({ read: readInboundPart, timeoutMs: 60_000, onIncomplete: (m) => void (givenUp += m.text.length) });
    let sent = 0;
    const body = Buffer.alloc(60_000, 0x78); // 'x' in Latin-1
    for (let ref = 0; ref < 3; ref++) {
      for (let seq = 1; seq <= 254; seq++) {
        const pdu = blankMessagePdu();
        pdu.source = { ton: 1, npi: 1, addr: '447700900123' };
        pdu.destination = { ton: 0, npi: 1, addr: '12345' };
        pdu.esmClass = 0x40;
        pdu.dataCoding = 3; // Latin-1
        pdu.tlvs = { messagePayload: Buffer.concat([Buffer.from([5, 0, 3, ref, 255, seq]), body]) };
        const part = inboundPartFromPdu(pdu, new Date(), { scope: 'app' });
        sent += part.text.length;
        expect(r.add(part)).toBeNull();
      }
    }
    expect(r.pendingGroups).toBeGreaterThanOrEqual(1);
    const held = r.drain().reduce((sum, m) => sum + m.text.length, 0);
    expect({ held, bound: LEGIT_BOUND_CHARS, withinBound: held <= LEGIT_BOUND_CHARS }).toEqual({ held, bound: LEGIT_BOUND_CHARS, withinBound: true });
    // What was pushed out went to onIncomplete: nothing vanished.
    expect(held + givenUp).toBe(sent);
  });
});
