import * as fs from 'fs';
import * as path from 'path';
import { decodeFrame } from '../../src/transport/smpp/pdu/pdu-codec';
import { PDU_FIXTURE_DIR, captureSmppClientFrames, encoderFrames, formatFixtureFile, loadPduFixtures } from './support/pdu-fixtures';
import type { PduFixture } from './support/pdu-fixtures';

/**
 * The mutation fuzzers start from the hex fixtures in test/fixtures/pdus. This suite records them
 * again (a real `smpp` client over TCP, and our encoders) and checks the stored files still hold
 * exactly those bytes, so the seeds stay real. Refresh: UPDATE_PDU_FIXTURES=1 npx jest test/fuzz/pdu-fixtures
 */
describe('PDU fixtures', () => {
  let captured: PduFixture[];

  beforeAll(async () => {
    captured = [...(await captureSmppClientFrames()), ...encoderFrames()];
    if (process.env.UPDATE_PDU_FIXTURES === '1') {
      fs.mkdirSync(PDU_FIXTURE_DIR, { recursive: true });
      for (const f of captured) fs.writeFileSync(path.join(PDU_FIXTURE_DIR, `${f.name}.hex`), formatFixtureFile(f.description, f.frame));
    }
  });

  it('stored hex files match the bytes the smpp client and our encoders write today', () => {
    const stored = new Map(loadPduFixtures().map((f) => [f.name, f.frame.toString('hex')]));
    for (const f of captured) expect({ name: f.name, hex: stored.get(f.name) }).toEqual({ name: f.name, hex: f.frame.toString('hex') });
  });

  it('every fixture is one complete, well-formed frame our decoder accepts', () => {
    const fixtures = loadPduFixtures();
    expect(fixtures.length).toBeGreaterThanOrEqual(13);
    for (const f of fixtures) {
      expect(f.frame.readUInt32BE(0)).toBe(f.frame.length);
      const decoded = decodeFrame(f.frame);
      expect({ name: f.name, kind: decoded.kind }).not.toEqual({ name: f.name, kind: 'malformed' });
      expect(decoded.command).not.toMatch(/^unknown/);
    }
  });

  it('decodes the smpp client submit_sm fixtures to the fields it was given', () => {
    const byName = new Map(loadPduFixtures().map((f) => [f.name, f.frame]));
    const gsm = decodeFrame(byName.get('smpp-client-submit-gsm')!);
    expect(gsm.kind).toBe('message');
    if (gsm.kind !== 'message') return;
    expect(gsm.message.source).toEqual({ ton: 5, npi: 0, addr: 'MyShop' });
    expect(gsm.message.destination.addr).toBe('447700900123');
    expect(gsm.message.registeredDelivery).toBe(1);
    expect(gsm.message.shortMessage.toString('latin1')).toBe('Your code is 482913');

    const sar = decodeFrame(byName.get('smpp-client-submit-sar')!);
    if (sar.kind !== 'message') throw new Error(`expected a message, got ${sar.kind}`);
    expect(sar.message.tlvs.sar).toEqual({ refNum: 513, totalSegments: 2, seqNum: 2 });
    expect(sar.message.tlvs.userMessageReference).toBe(77);

    const payload = decodeFrame(byName.get('smpp-client-submit-ucs2-payload')!);
    if (payload.kind !== 'message') throw new Error(`expected a message, got ${payload.kind}`);
    expect(payload.message.tlvs.messagePayload?.toString('hex')).toBe('00480065006c006c006f0020d83dde00');
  });
});
