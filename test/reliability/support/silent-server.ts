/**
 * A local TCP server that accepts connections and never answers: what a half-dead carrier, a
 * firewall that lets SYNs through, or a wrong port behind a load balancer looks like. Tests use
 * it for "unreachable / timeout" instead of any external address.
 */
import * as net from 'node:net';

export interface SilentServer {
  port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Bytes the clients wrote (never answered). */
  readonly bytesReceived: number;
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  let bytesReceived = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('data', (chunk) => {
      bytesReceived += chunk.length;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    get accepted() {
      return accepted;
    },
    get bytesReceived() {
      return bytesReceived;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Port 1 on 127.0.0.1: privileged and unused here, so a connection is refused at once. */
export const REFUSED_PORT = 1;
