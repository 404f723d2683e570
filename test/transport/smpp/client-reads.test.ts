/**
 * A client connection reads through Node's `onread` into one reused buffer (smpp-socket.ts,
 * ReusedReadBuffer). The buffer is overwritten by the next read, so these hold what must not
 * change: every PDU reaches its handler exactly as sent and stays so after later reads, bytes
 * read before the SmppSocket exists are not lost, and a peer that does not read our answers
 * still makes us stop reading (memory stays bounded).
 */
import * as net from 'net';
import { CommandId } from '../../../src/transport/smpp/pdu/command-ids';
import { encodeEmptyRequest } from '../../../src/transport/smpp/pdu/pdu-codec';
import { encodeMessagePdu } from '../../../src/transport/smpp/pdu/message-pdu';
import { ReusedReadBuffer, SmppSocket } from '../../../src/transport/smpp/smpp-socket';
import { SmppTransport } from '../../../src/transport/smpp/smpp-transport';
import type { InboundMessage, SmppTransportOptions } from '../../../src/transport/smpp/types';
import { simpleSubmit } from '../../support/messages';
import { HostileSmsc } from '../../security/support/hostile-smsc';

jest.setTimeout(60_000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function makeTransport(port: number, extra: Partial<SmppTransportOptions> = {}): SmppTransport {
  return new SmppTransport({
    host: '127.0.0.1',
    port,
    systemId: 'esme',
    password: 'pw',
    enquireLinkMs: 0,
    responseTimeoutMs: 5_000,
    connectTimeoutMs: 3_000,
    reconnectBaseMs: 10,
    reconnectMaxMs: 50,
    reconnectAttempts: 0,
    ...extra,
  });
}

let smsc: HostileSmsc | null = null;
let transport: SmppTransport | null = null;
afterEach(async () => {
  await transport?.close(200);
  transport = null;
  await smsc?.close();
  smsc = null;
});

/** deliver_sm frames with message_payload of these sizes (cut to fit 65,536 bytes) and the payloads they carry. */
function deliverFrames(sizes: number[]): { frames: Buffer[]; payloads: Buffer[] } {
  const frames: Buffer[] = [];
  const payloads: Buffer[] = [];
  let sequence = 1000;
  for (const size of sizes) {
    const payload = Buffer.alloc(size);
    for (let i = 0; i < size; i++) payload[i] = (i * 7 + sequence) & 0xff;
    const pdu = simpleSubmit('447700900001', '', {
      tlvs: { messagePayload: payload, other: [{ tag: 0x1501, value: Buffer.from([sequence & 0xff, 1, 2, 3]) }] },
    });
    pdu.shortMessage = Buffer.alloc(0);
    let frame = encodeMessagePdu(CommandId.deliverSm, sequence, pdu);
    if (frame.length > 65_536) {
      pdu.tlvs.messagePayload = payload.subarray(0, payload.length - (frame.length - 65_536));
      frame = encodeMessagePdu(CommandId.deliverSm, sequence, pdu);
    }
    sequence++;
    payloads.push(Buffer.from(pdu.tlvs.messagePayload as Buffer));
    frames.push(frame);
  }
  return { frames, payloads };
}

it('deliver_sm of every size up to the maximum, trickled in odd pieces and then all in one write, reach the handler exact and stay so after later reads', async () => {
  smsc = await HostileSmsc.start();
  transport = makeTransport(smsc.port);
  const kept: InboundMessage[] = [];
  transport.addInboundHandler(async (m) => {
    kept.push(m); // kept without a copy, compared only after every later read
    await sleep(1);
  });
  await transport.start();
  const conn = await smsc.connection(0);
  const sizes = [0, 1, 100, 4000, 4100, 8191, 8192, 20_000, 65_000, 30_000, 64_000];
  const { frames, payloads } = deliverFrames(sizes);
  const all = Buffer.concat(frames);
  for (let offset = 0, k = 1; offset < all.length; k++) {
    const n = Math.min(all.length - offset, ((k * 2654435761) % 9000) + 1);
    conn.socket.write(all.subarray(offset, offset + n));
    offset += n;
    await new Promise((r) => setImmediate(r));
  }
  conn.socket.write(all);
  await conn.waitUntil(() => conn.responses().length >= 2 * sizes.length, 'an answer to every deliver_sm');
  expect(kept.length).toBe(2 * sizes.length);
  const differing = kept.map((m, i) => Buffer.compare(m.pdu.tlvs.messagePayload ?? Buffer.alloc(0), payloads[i % sizes.length])).filter((c) => c !== 0);
  expect(differing).toEqual([]);
});

it('400 PDUs in random pieces of 1 byte to 70 KB with random pauses and a slow handler: every one once, in order, byte for byte', async () => {
  let state = 7919;
  const random = (n: number): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  smsc = await HostileSmsc.start();
  transport = makeTransport(smsc.port);
  const kept: InboundMessage[] = [];
  transport.addInboundHandler(async (m) => {
    kept.push(m);
    if (random(3) === 0) await sleep(random(3));
  });
  await transport.start();
  const conn = await smsc.connection(0);
  const expected: Buffer[] = [];
  const frames: Buffer[] = [];
  for (let i = 0; i < 400; i++) {
    const kind = random(10);
    if (kind === 0) {
      frames.push(encodeEmptyRequest(CommandId.enquireLink, 90_000 + i));
      continue;
    }
    const body = Buffer.alloc(kind === 1 ? random(60_000) : random(254));
    for (let j = 0; j < body.length; j++) body[j] = random(256);
    const pdu = simpleSubmit('447700900001', '');
    if (kind === 1) pdu.tlvs.messagePayload = body;
    else pdu.shortMessage = body;
    frames.push(encodeMessagePdu(CommandId.deliverSm, 1000 + i, pdu));
    expected.push(Buffer.from(body));
  }
  const all = Buffer.concat(frames);
  for (let offset = 0; offset < all.length; ) {
    const n = Math.min(all.length - offset, 1 + random(random(2) ? 50 : 70_000));
    conn.socket.write(all.subarray(offset, offset + n));
    offset += n;
    const wait = random(4);
    if (wait === 0) await new Promise((r) => setImmediate(r));
    else if (wait === 1) await sleep(1);
  }
  await conn.waitUntil(() => conn.responses().length >= frames.length, 'an answer to every PDU', 30_000);
  expect(kept.length).toBe(expected.length);
  const differing = kept.map((m, i) => Buffer.compare(m.pdu.tlvs.messagePayload ?? m.pdu.shortMessage, expected[i])).filter((c) => c !== 0);
  expect(differing).toEqual([]);
  expect(
    conn
      .responses()
      .map((f) => f.sequence)
      .sort((a, b) => a - b),
  ).toEqual(frames.map((f) => f.readUInt32BE(12)).sort((a, b) => a - b));
});

it('an SMSC that floods enquire_link and never reads our answers: the client stops reading (unsent answers stay under 1 MiB), then answers every one when the SMSC reads again', async () => {
  smsc = await HostileSmsc.start();
  transport = makeTransport(smsc.port);
  await transport.start();
  const conn = await smsc.connection(0);
  conn.socket.pause();
  const client = (transport as unknown as { socket: SmppSocket }).socket.socket;
  const chunk = Buffer.concat(Array.from({ length: 4096 }, (_, i) => encodeEmptyRequest(CommandId.enquireLink, i + 1)));
  let written = 0;
  let clientUnsent = 0;
  const sampler = setInterval(() => (clientUnsent = Math.max(clientUnsent, client.writableLength)), 5);
  for (let i = 0; i < 2000 && written < 7 * 1024 * 1024; i++) {
    conn.socket.write(chunk);
    written += chunk.length;
    if (i % 16 === 0) await new Promise((r) => setImmediate(r));
  }
  await sleep(1000);
  clearInterval(sampler);
  // The flood waits in the kernel's buffers: the client stopped reading instead of buffering answers.
  expect({
    paused: client.isPaused(),
    leftUnreadOverOneMiB: written - client.bytesRead > 1024 * 1024,
    clientUnsentUnderOneMiB: clientUnsent < 1024 * 1024,
  }).toEqual({
    paused: true,
    leftUnreadOverOneMiB: true,
    clientUnsentUnderOneMiB: true,
  });
  conn.socket.resume();
  await conn.waitUntil(() => conn.responses().length >= written / 16, 'every enquire_link answered', 30_000);
  expect(conn.responses().length).toBe(written / 16);
});

it('bytes a peer sends before the SmppSocket is made reach the listeners put on right after it', async () => {
  const server = net.createServer((s) => s.write(encodeEmptyRequest(CommandId.enquireLink, 7)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const reads = new ReusedReadBuffer();
  let readBeforeSocket = false;
  const callback = reads.callback;
  const raw = net.connect({
    host: '127.0.0.1',
    port: (server.address() as net.AddressInfo).port,
    onread: { buffer: reads.buffer, callback: (n: number) => ((readBeforeSocket = true), callback(n)) },
  });
  try {
    for (let i = 0; i < 200 && !readBeforeSocket; i++) await sleep(5);
    expect(readBeforeSocket).toBe(true);
    const socket = new SmppSocket(raw, { reads });
    const sequences: number[] = [];
    socket.on('pdu', (pdu) => sequences.push(pdu.sequence));
    for (let i = 0; i < 100 && sequences.length === 0; i++) await sleep(5);
    expect(sequences).toEqual([7]);
  } finally {
    raw.destroy();
    await new Promise((r) => server.close(r));
  }
});
