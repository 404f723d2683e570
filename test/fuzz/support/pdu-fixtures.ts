import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as smpp from 'smpp';
import { FrameReader } from '../../../src/transport/smpp/pdu/frame-reader';
import { CommandId } from '../../../src/transport/smpp/pdu/command-ids';
import { blankMessagePdu, encodeMessagePdu } from '../../../src/transport/smpp/pdu/message-pdu';
import { encodeGeneric, encodeGenericNack, encodeSimpleResponse } from '../../../src/transport/smpp/pdu/pdu-codec';
import { formatReceiptText } from '../../../src/transport/smpp/receipt-format/receipt-text';

/**
 * Real PDUs used as seeds for mutation fuzzing, stored as hex in test/fixtures/pdus/<name>.hex
 * (first line: `# what it is and where it came from`). Two sources:
 *  - bytes the `smpp` library's client really sends (bind, submit_sm variants, enquire_link,
 *    unbind), recorded by a raw TCP server;
 *  - frames our own encoders write (deliver_sm receipts and MO, responses, generic_nack).
 * pdu-fixtures.test.ts re-captures them and checks the files; UPDATE_PDU_FIXTURES=1 rewrites them.
 */

export const PDU_FIXTURE_DIR = path.join(__dirname, '../../fixtures/pdus');

export interface PduFixture {
  name: string;
  description: string;
  frame: Buffer;
}

export function formatFixtureFile(description: string, frame: Buffer): string {
  const hex = frame.toString('hex');
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += 64) lines.push(hex.slice(i, i + 64));
  return `# ${description}\n${lines.join('\n')}\n`;
}

export function parseFixtureFile(name: string, text: string): PduFixture {
  const lines = text.split('\n');
  const description = lines
    .filter((l) => l.startsWith('#'))
    .map((l) => l.slice(1).trim())
    .join(' ');
  const hex = lines
    .filter((l) => !l.startsWith('#'))
    .join('')
    .replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})+$/i.test(hex)) throw new Error(`fixture ${name}: not an even-length hex string`);
  return { name, description, frame: Buffer.from(hex, 'hex') };
}

/** Every stored fixture, sorted by name. */
export function loadPduFixtures(): PduFixture[] {
  return fs
    .readdirSync(PDU_FIXTURE_DIR)
    .filter((f) => f.endsWith('.hex'))
    .sort()
    .map((f) => parseFixtureFile(f.replace(/\.hex$/, ''), fs.readFileSync(path.join(PDU_FIXTURE_DIR, f), 'utf8')));
}

type SmppCall = (fields: Record<string, unknown>, callback: (pdu: smpp.PDU) => void) => void;

/** What the `smpp` client sends, in order; each entry names the fixture its frame becomes. */
const CLIENT_SCRIPT: Array<{ name: string; description: string; command: string; fields: Record<string, unknown> }> = [
  {
    name: 'smpp-client-bind-transceiver',
    description: 'smpp 0.5.1 client: bind_transceiver',
    command: 'bind_transceiver',
    fields: { system_id: 'fuzzer', password: 'secret1', system_type: 'OTP', interface_version: 0x34 },
  },
  {
    name: 'smpp-client-submit-gsm',
    description: 'smpp 0.5.1 client: submit_sm, GSM text, receipt requested',
    command: 'submit_sm',
    fields: {
      source_addr_ton: 5,
      source_addr_npi: 0,
      source_addr: 'MyShop',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '447700900123',
      registered_delivery: 1,
      data_coding: 0,
      short_message: 'Your code is 482913',
    },
  },
  {
    name: 'smpp-client-submit-ucs2-payload',
    description: 'smpp 0.5.1 client: submit_sm, UCS-2 in message_payload TLV',
    command: 'submit_sm',
    fields: {
      source_addr: '12345',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '491511234567',
      data_coding: 8,
      message_payload: Buffer.from('00480065006c006c006f0020d83dde00', 'hex'),
    },
  },
  {
    name: 'smpp-client-submit-udh-concat',
    description: 'smpp 0.5.1 client: submit_sm, part 1/2 with an 8-bit concat UDH, validity period',
    command: 'submit_sm',
    fields: {
      source_addr: 'Bank',
      destination_addr: '15551234567',
      esm_class: 0x40,
      data_coding: 0,
      validity_period: '000001000000000R',
      short_message: Buffer.concat([Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, 0x01]), Buffer.from('First half of a long text ', 'latin1')]),
    },
  },
  {
    name: 'smpp-client-submit-sar',
    description: 'smpp 0.5.1 client: submit_sm with SAR TLVs and a user_message_reference',
    command: 'submit_sm',
    fields: {
      source_addr: '447700900001',
      destination_addr: '447700900002',
      short_message: 'sar part two',
      sar_msg_ref_num: 513,
      sar_total_segments: 2,
      sar_segment_seqnum: 2,
      user_message_reference: 77,
    },
  },
  { name: 'smpp-client-enquire-link', description: 'smpp 0.5.1 client: enquire_link', command: 'enquire_link', fields: {} },
  {
    name: 'smpp-client-query-sm',
    description: 'smpp 0.5.1 client: query_sm (goes through the generic decoder)',
    command: 'query_sm',
    fields: { message_id: '1a2b3c', source_addr: 'MyShop' },
  },
  { name: 'smpp-client-unbind', description: 'smpp 0.5.1 client: unbind', command: 'unbind', fields: {} },
];

/** Runs the `smpp` library's client against a raw TCP server and returns the frames it sent. */
export async function captureSmppClientFrames(): Promise<PduFixture[]> {
  const received: Buffer[] = [];
  const server = net.createServer((socket) => {
    const reader = new FrameReader();
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) {
        received.push(Buffer.from(frame));
        const commandId = frame.readUInt32BE(4);
        const seq = frame.readUInt32BE(12);
        // Answer like an SMSC so the client moves on to its next request.
        if (commandId === CommandId.bindTransceiver) socket.write(encodeGeneric('bind_transceiver_resp', seq, { system_id: 'SMSC' }));
        else if (commandId === CommandId.submitSm) socket.write(encodeSimpleResponse(CommandId.submitSmResp, 0, seq, `id${seq}`));
        else socket.write(encodeSimpleResponse((commandId | 0x80000000) >>> 0, 0, seq));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const session = smpp.connect({ host: '127.0.0.1', port });
  try {
    for (const step of CLIENT_SCRIPT) {
      const call = session[step.command] as SmppCall;
      await new Promise<void>((resolve) => call.call(session, step.fields, () => resolve()));
    }
  } finally {
    session.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  if (received.length !== CLIENT_SCRIPT.length) throw new Error(`captured ${received.length} frames, expected ${CLIENT_SCRIPT.length}`);
  return CLIENT_SCRIPT.map((step, i) => ({ name: step.name, description: step.description, frame: received[i] }));
}

/** Frames our own encoders write: what the sandbox and the transport put on the wire. */
export function encoderFrames(): PduFixture[] {
  const receipt = blankMessagePdu();
  receipt.source = { ton: 1, npi: 1, addr: '447700900123' };
  receipt.destination = { ton: 5, npi: 0, addr: 'MyShop' };
  receipt.esmClass = 0x04;
  const at = new Date(Date.UTC(2025, 0, 2, 3, 4));
  receipt.shortMessage = Buffer.from(formatReceiptText({ id: '1f', stat: 'DELIVRD', submitDate: at, doneDate: at, text: 'Your code is 482913' }), 'latin1');
  receipt.tlvs = { receiptedMessageId: '1f', messageState: 2, networkErrorCode: Buffer.from([0x03, 0x00, 0x00]) };

  const mo = blankMessagePdu();
  mo.source = { ton: 1, npi: 1, addr: '491511234567' };
  mo.destination = { ton: 0, npi: 1, addr: '12345' };
  mo.esmClass = 0x40;
  mo.dataCoding = 8;
  mo.shortMessage = Buffer.concat([Buffer.from([0x06, 0x08, 0x04, 0x01, 0x02, 0x03, 0x01]), Buffer.from('004a0061002000f0009f', 'hex')]);
  mo.tlvs = { other: [{ tag: 0x1403, value: Buffer.from('vendor', 'latin1') }] };

  return [
    {
      name: 'ours-deliver-receipt',
      description: 'our encoder: deliver_sm delivery receipt with receipted_message_id, message_state, network_error_code',
      frame: encodeMessagePdu(CommandId.deliverSm, 7, receipt),
    },
    {
      name: 'ours-deliver-mo-udh16',
      description: 'our encoder: deliver_sm MO, UCS-2 with a 16-bit concat UDH and a vendor TLV',
      frame: encodeMessagePdu(CommandId.deliverSm, 8, mo),
    },
    {
      name: 'ours-submit-resp',
      description: 'our encoder: submit_sm_resp with message_id',
      frame: encodeSimpleResponse(CommandId.submitSmResp, 0, 9, '5f3a91'),
    },
    {
      name: 'ours-bind-transceiver-resp',
      description: 'our encoder (node-smpp generic): bind_transceiver_resp',
      frame: encodeGeneric('bind_transceiver_resp', 1, { system_id: 'SANDBOX' }),
    },
    { name: 'ours-generic-nack', description: 'our encoder: generic_nack ESME_RINVCMDLEN', frame: encodeGenericNack(0x02, 10) },
  ];
}
