import * as net from 'net';
import { CommandId } from '../src/transport/smpp/pdu/command-ids';
import { blankMessagePdu, encodeMessagePdu } from '../src/transport/smpp/pdu/message-pdu';
import { encodeGeneric } from '../src/transport/smpp/pdu/pdu-codec';
import type { ThroughputRun } from './raw-smpp-client';

/**
 * The floor: what a Node process spends per message when it does nothing but keep `window`
 * submit_sm outstanding (one pre-encoded PDU with its sequence number patched, answers counted by
 * their length prefix, one socket write per read). No validation, no journal, no promise per
 * message: the wake-ups and syscalls alone. On a shared VM one wake-up costs ~100-200 µs of CPU,
 * so at window 1 (one wake-up per message) no client can go below this row.
 * It reads as our SMPP client does (Node's `onread`, one reused buffer, each read copied out):
 * with stream 'data' events it spent 30-60 µs more per message at window 1 (2026-12-03).
 */
export async function runBareClient(port: number, count: number, window: number, host = '127.0.0.1'): Promise<ThroughputRun> {
  const readBuffer = Buffer.allocUnsafe(65_536);
  let onChunk: (chunk: Buffer) => void = () => undefined;
  const onread = {
    buffer: readBuffer,
    callback: (bytes: number): boolean => {
      const chunk = Buffer.allocUnsafe(bytes);
      readBuffer.copy(chunk, 0, 0, bytes);
      onChunk(chunk);
      return true;
    },
  };
  const socket = net.connect({ host, port, onread });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const template = blankMessagePdu();
  template.source = { ton: 5, npi: 0, addr: 'BENCH' };
  template.destination = { ton: 1, npi: 1, addr: '447000000000' };
  template.shortMessage = Buffer.from('Benchmark message', 'latin1');
  const frame = encodeMessagePdu(CommandId.submitSm, 1, template);
  let sequence = 1;
  const submits = (n: number): Buffer => {
    const out = Buffer.allocUnsafe(frame.length * n);
    for (let i = 0; i < n; i++) {
      frame.copy(out, i * frame.length);
      out.writeUInt32BE(++sequence, i * frame.length + 12);
    }
    return out;
  };
  let rest: Buffer = Buffer.alloc(0);
  const frames = (chunk: Buffer): number => {
    const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let offset = 0;
    let n = 0;
    while (data.length - offset >= 4 && data.length - offset >= data.readUInt32BE(offset)) {
      offset += data.readUInt32BE(offset);
      n++;
    }
    rest = data.subarray(offset);
    return n;
  };
  await new Promise<void>((resolve, reject) => {
    onChunk = (chunk: Buffer) => (frames(chunk) === 1 && chunk.readUInt32BE(8) === 0 ? resolve() : reject(new Error('bind failed')));
    socket.write(
      encodeGeneric('bind_transceiver', 1, {
        system_id: 'bench',
        password: 'bench',
        system_type: '',
        interface_version: 0x34,
        addr_ton: 0,
        addr_npi: 0,
        address_range: '',
      }),
    );
  });
  const cpu = process.cpuUsage();
  const started = performance.now();
  await new Promise<void>((resolve) => {
    let sent = Math.min(window, count);
    let answered = 0;
    onChunk = (chunk: Buffer) => {
      const n = frames(chunk);
      answered += n;
      if (answered >= count) return resolve();
      const more = Math.min(n, count - sent);
      if (more > 0) {
        sent += more;
        socket.write(submits(more));
      }
    };
    socket.write(submits(sent));
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  socket.destroy();
  return { messages: count, seconds, perSecond: count / seconds, cpuMicrosPerMessage: (used.user + used.system) / count };
}
