import type { ConcatMethod } from '../../src/encoding';
import { prepareSms } from '../../src/gateway/prepare-message';
import type { SenderDefaults } from '../../src/gateway/prepare-message';
import type { SmsRequest } from '../../src/gateway/message-request';
import { sendPrepared } from '../../src/gateway/send-sms';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { encodeCustomTlvs } from '../../src/tlv/custom-tlv';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';
import { startLibrarySmsc } from '../support/smpp-library-smsc';
import type { LibrarySmsc } from '../support/smpp-library-smsc';
import { captureLoopback, dissectSmpp, tsharkUnavailable } from '../support/tshark';

// India DLT: the entity id on the credential, the template id per message.
const credentialTlvs = encodeCustomTlvs([{ tag: '0x1400', type: 'string', value: '1101456789012345678' }]);
const messageTlvs = encodeCustomTlvs([
  { tag: '0x1401', type: 'string', value: '1107161234567890123' },
  { tag: '0x1410', type: 'int16', value: '513' },
  { tag: '0x1411', type: 'hex', value: '00 ff 10' },
]);
const defaults: SenderDefaults = { from: 'HOSPTL', tlvs: credentialTlvs };
// 3 parts in GSM-7 (153 characters each with a concat header).
const LONG_TEXT = 'Your appointment at City Hospital is confirmed. '.repeat(8).trim();

const WANTED = [
  { tag: '0x1400', hex: Buffer.from('1101456789012345678').toString('hex'), text: '1101456789012345678' },
  { tag: '0x1401', hex: Buffer.from('1107161234567890123').toString('hex'), text: '1107161234567890123' },
  { tag: '0x1410', hex: '0201' },
  { tag: '0x1411', hex: '00ff10' },
];

function request(concat: ConcatMethod, extra: Partial<SmsRequest> = {}): SmsRequest {
  return { to: '+919812345678', text: LONG_TEXT, concat, serviceType: 'CMT', tlvs: messageTlvs, ...extra };
}

describe('custom TLVs on the wire: every part carries them, byte for byte', () => {
  let transport: SmppTransport | null = null;
  afterEach(async () => {
    await transport?.close(100);
    transport = null;
  });

  describe('the sandbox SMSC records them per part', () => {
    let smsc: SandboxSmsc;
    beforeEach(async () => {
      smsc = await startSandbox();
      transport = new SmppTransport(sandboxTransportOptions(smsc));
      await transport.start();
    });
    afterEach(async () => smsc.stop());

    it.each<ConcatMethod>(['udh8', 'udh16', 'sar', 'payload'])("long message with %s: each PDU has the credential's and the message's TLVs", async (concat) => {
      const prepared = prepareSms(request(concat), defaults);
      const result = await sendPrepared(transport!, prepared);
      expect(result.status).toBe('accepted');
      const received = smsc.store.list({ direction: 'mt' });
      expect(received).toHaveLength(concat === 'payload' ? 1 : 3);
      expect(result.parts).toBe(received.length);
      for (const part of received) {
        expect(part.tlvs).toEqual(WANTED);
        expect(part.serviceType).toBe('CMT');
      }
    });

    it("a message without TLVs of its own sends the credential's; one without any sends none", async () => {
      await sendPrepared(transport!, prepareSms(request('udh8', { text: 'one part', tlvs: undefined }), defaults));
      await sendPrepared(transport!, prepareSms(request('udh8', { text: 'one part', tlvs: undefined, serviceType: undefined }), { from: 'HOSPTL' }));
      const [withCredential, plain] = smsc.store.list({ direction: 'mt' });
      expect(withCredential.tlvs).toEqual([WANTED[0]]);
      expect(plain.tlvs).toBeUndefined();
      expect(plain.serviceType).toBeUndefined();
    });

    it("the message's TLV replaces the credential's of the same tag", async () => {
      const own = encodeCustomTlvs([{ tag: '0x1400', type: 'string', value: 'OTHER-ENTITY' }]);
      await sendPrepared(transport!, prepareSms(request('udh8', { text: 'one part', tlvs: own }), defaults));
      expect(smsc.store.list({ direction: 'mt' })[0].tlvs).toEqual([{ tag: '0x1400', hex: Buffer.from('OTHER-ENTITY').toString('hex'), text: 'OTHER-ENTITY' }]);
    });
  });

  describe('an SMSC written on the smpp library decodes the same bytes', () => {
    let peer: LibrarySmsc;
    beforeEach(async () => {
      peer = await startLibrarySmsc();
      transport = new SmppTransport({ ...sandboxTransportOptions({ port: peer.port } as SandboxSmsc) });
      await transport.start();
    });
    afterEach(async () => peer.stop());

    it.each<ConcatMethod>(['udh8', 'sar'])('long message with %s', async (concat) => {
      const result = await sendPrepared(transport!, prepareSms(request(concat), defaults));
      expect(result.status).toBe('accepted');
      expect(peer.submits).toHaveLength(3);
      for (const pdu of peer.submits) {
        // The library does not know vendor tags: it keeps each as the raw value under its number.
        expect(pdu[0x1400]).toEqual(Buffer.from('1101456789012345678'));
        expect(pdu[0x1401]).toEqual(Buffer.from('1107161234567890123'));
        expect(pdu[0x1410]).toEqual(Buffer.from([0x02, 0x01]));
        expect(pdu[0x1411]).toEqual(Buffer.from([0x00, 0xff, 0x10]));
        expect(pdu.service_type).toBe('CMT');
        expect(pdu.destination_addr).toBe('919812345678');
      }
      if (concat === 'sar') expect(peer.submits.map((p) => p.sar_segment_seqnum).sort()).toEqual([1, 2, 3]);
    });
  });

  // Wireshark's dissector: an implementation that shares nothing with ours or with node-smpp.
  // `npm test` installs tshark; only a run by hand without it skips (CI fails instead, below).
  const noTshark = tsharkUnavailable();
  if (noTshark && process.env.CI) {
    it('needs tshark, which npm test installs (scripts/ensure-tshark.js)', () => {
      throw new Error(noTshark);
    });
  }
  (noTshark ? describe.skip : describe)(`Wireshark's SMPP dissector reads them from a capture${noTshark ? ` (skipped: ${noTshark})` : ''}`, () => {
    let smsc: SandboxSmsc;
    beforeEach(async () => {
      smsc = await startSandbox();
    });
    afterEach(async () => smsc.stop());

    it('every submit_sm of a 3-part message (udh8 and sar) carries each TLV with its tag, length and octets', async () => {
      const port = smsc.port;
      const capture = await captureLoopback();
      transport = new SmppTransport(sandboxTransportOptions(smsc));
      await transport.start();
      const results = [
        await sendPrepared(transport, prepareSms(request('udh8'), defaults)),
        await sendPrepared(transport, prepareSms(request('sar'), defaults)),
      ];
      await transport.close(100);
      transport = null;
      const { pdus, malformed } = dissectSmpp(await capture.stop(), port);
      expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
      expect(malformed).toBe(0);
      const submits = pdus.filter((p) => p.commandId === 0x00000004);
      expect(submits).toHaveLength(6);
      const vendor = (tag: number, hex: string) => ({ tag, length: hex.length / 2, vendorHex: hex });
      const custom = [
        vendor(0x1400, Buffer.from('1101456789012345678').toString('hex')),
        vendor(0x1401, Buffer.from('1107161234567890123').toString('hex')),
        vendor(0x1410, '0201'),
        vendor(0x1411, '00ff10'),
      ];
      const sar = [
        { tag: 0x020c, length: 2 },
        { tag: 0x020e, length: 1 },
        { tag: 0x020f, length: 1 },
      ];
      for (const [i, pdu] of submits.entries()) {
        expect(pdu.serviceType).toBe('CMT');
        expect(pdu.destination).toBe('919812345678');
        expect(pdu.tlvs).toEqual(i < 3 ? custom : [...sar, ...custom]);
      }
    }, 90_000);
  });
});
