import * as net from 'net';
import { FrameError, FrameReader } from '../../../src/transport/smpp/pdu/frame-reader';
import { SmppSocket } from '../../../src/transport/smpp/smpp-socket';

/**
 * What the allocation cuts on the per-message path (issue 23) must keep: a chunk that is exactly
 * one PDU is handed on whole, and the socket's write slots, kept across turns, never send a PDU
 * twice, lose one or reorder them.
 */

function frame(seq: number, body = 0): Buffer {
  const b = Buffer.alloc(16 + body, 0xab);
  b.writeUInt32BE(16 + body, 0);
  b.writeUInt32BE(0x80000004, 4);
  b.writeUInt32BE(0, 8);
  b.writeUInt32BE(seq, 12);
  return b;
}

describe('FrameReader: a chunk holding exactly one PDU', () => {
  it('gives that PDU, and still joins a chunk onto an unfinished PDU before it', () => {
    const reader = new FrameReader(1024);
    const one = frame(1, 4);
    expect(reader.push(one)).toEqual([one]);
    // A 20-byte PDU whose command_id reads as 16: after its first 4 bytes, the next chunk is
    // 16 bytes long and starts with "16", as a whole PDU would. It is the rest of the first one.
    const two = frame(2, 4);
    two.writeUInt32BE(16, 4);
    expect(reader.push(two.subarray(0, 4))).toEqual([]);
    const rest = two.subarray(4);
    expect(rest.length).toBe(16);
    expect(rest.readUInt32BE(0)).toBe(16);
    expect(reader.push(rest)).toEqual([two]);
    expect(reader.bufferedBytes).toBe(0);
    const three = frame(3);
    expect(reader.push(three)).toEqual([three]);
  });

  it('a whole chunk whose length is over the maximum is still refused', () => {
    const reader = new FrameReader(64);
    expect(() => reader.push(frame(1, 100))).toThrow(FrameError);
    expect(reader.push(frame(2))).toEqual([]); // failed for good
  });
});

describe('SmppSocket: write slots kept across turns', () => {
  let server: net.Server;
  let received: Buffer[];
  let client: net.Socket;
  let peerGotAll: (n: number) => Promise<void>;

  beforeEach(async () => {
    received = [];
    let waiter: { n: number; resolve: () => void } | null = null;
    server = net.createServer((peer) => {
      const reader = new FrameReader();
      peer.on('data', (chunk: Buffer) => {
        for (const f of reader.push(chunk)) received.push(Buffer.from(f));
        if (waiter && received.length >= waiter.n) waiter.resolve();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    peerGotAll = (n) =>
      new Promise<void>((resolve) => {
        if (received.length >= n) return resolve();
        waiter = { n, resolve };
      });
    const port = (server.address() as net.AddressInfo).port;
    client = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', resolve));
  });

  afterEach(async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends every PDU once and in order, one per turn, several per turn, and over 32 in one turn', async () => {
    const socket = new SmppSocket(client);
    let seq = 0;
    const sent: number[] = [];
    const writeSome = (n: number): void => {
      for (let i = 0; i < n; i++) {
        socket.write(frame(++seq));
        sent.push(seq);
      }
    };
    writeSome(1);
    await new Promise((r) => setImmediate(r));
    writeSome(3);
    await new Promise((r) => setImmediate(r));
    writeSome(1);
    await new Promise((r) => setImmediate(r));
    writeSome(70); // past the 32 PDUs written at once
    await new Promise((r) => setImmediate(r));
    writeSome(2);
    await peerGotAll(sent.length);
    await new Promise((r) => setTimeout(r, 50)); // nothing more arrives
    expect(received.map((f) => f.readUInt32BE(12))).toEqual(sent);
  });

  it('a destroyed socket sends nothing written before it, and an afterFlush callback runs once', async () => {
    const socket = new SmppSocket(client);
    socket.write(frame(1));
    await peerGotAll(1);
    socket.write(frame(2));
    socket.write(frame(3));
    let flushed = 0;
    socket.afterFlush(() => flushed++);
    socket.destroy('test');
    await new Promise((r) => setTimeout(r, 50));
    expect(received.map((f) => f.readUInt32BE(12))).toEqual([1]);
    expect(flushed).toBe(1);
  });
});
