/**
 * Bind attempts from a chosen source address: loopback is a whole /8, so `localAddress`
 * 127.0.0.2 is "the attacker" and 127.0.0.1 "the application" on one machine.
 */
import * as net from 'net';
import * as tls from 'tls';
import { FrameReader } from '../../../src/transport/smpp/pdu/frame-reader';
import { decodeFrame, encodeGeneric } from '../../../src/transport/smpp/pdu/pdu-codec';

export interface BindTarget {
  port: number;
  /** Source address of the connection (default 127.0.0.1). */
  from?: string;
  tls?: boolean;
}

/** The bind_resp status, or 'closed' when the server closed without answering (refused at accept). */
export type BindOutcome = number | 'closed';

export function bindFrom(target: BindTarget, systemId: string, password: string, timeoutMs = 5000): Promise<BindOutcome> {
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port: target.port, localAddress: target.from ?? '127.0.0.1' };
    const socket: net.Socket = target.tls
      ? tls.connect({ ...options, rejectUnauthorized: false }, () => socket.write(bind))
      : net.connect(options, () => socket.write(bind));
    const bind = encodeGeneric('bind_transceiver', 1, {
      system_id: systemId,
      password,
      system_type: '',
      interface_version: 0x34,
      addr_ton: 0,
      addr_npi: 0,
      address_range: '',
    });
    const reader = new FrameReader(1 << 16);
    let settled = false;
    const finish = (outcome: BindOutcome | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => finish(new Error(`no bind_resp within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      const [frame] = reader.push(chunk);
      if (frame) finish(decodeFrame(Buffer.from(frame)).status);
    });
    socket.on('error', () => finish('closed'));
    socket.on('close', () => finish('closed'));
  });
}

/** Opens a TCP connection from `from` and leaves it silent; resolves once connected (or closed at once). */
export function silentSocket(port: number, from: string): Promise<net.Socket> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: from }, () => resolve(socket));
    socket.on('error', () => resolve(socket));
  });
}

/** Runs `job` over `items`, `limit` at a time. */
export async function inPool<T>(items: T[], limit: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await job(items[next++]);
    }),
  );
}

/** Silent sockets from each of `addresses`, `perAddress` each, every one reopened as soon as it closes (an attacker keeping slots filled). */
export function holdSilentSockets(port: number, addresses: string[], perAddress: number): { stop(): void; connects(): number } {
  let stopped = false;
  let connects = 0;
  const open = new Set<net.Socket>();
  const hold = (from: string): void => {
    if (stopped) return;
    connects++;
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: from });
    open.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      open.delete(socket);
      setTimeout(() => hold(from), 5);
    });
  };
  for (const from of addresses) for (let i = 0; i < perAddress; i++) hold(from);
  return {
    stop: () => {
      stopped = true;
      for (const socket of open) socket.destroy();
    },
    connects: () => connects,
  };
}
