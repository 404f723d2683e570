import type * as net from 'net';
import { peerKey } from './peer-address';

export interface GateLimits {
  /** Connections at once, counted from accept (TLS handshakes included). */
  maxConnections: number;
  /** Connections at once from one address (IPv6: one /64). */
  maxPerAddress: number;
}

/**
 * Admission at accept time, before any TLS handshake or bind: every TCP connection counts from
 * the moment it is accepted until it closes. A client holding silent sockets (or stalling TLS
 * handshakes, which Node's TLS server counts nowhere until they finish) uses up only its own
 * address's share of the slots.
 */
export class ConnectionGate {
  private open = 0;
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly limits: GateLimits) {}

  get openConnections(): number {
    return this.open;
  }

  /** Counts `socket` until it closes and returns true, or destroys it and returns false. */
  admit(socket: net.Socket): boolean {
    const address = peerKey(socket.remoteAddress);
    const fromAddress = this.perAddress.get(address) ?? 0;
    if (this.open >= this.limits.maxConnections || fromAddress >= this.limits.maxPerAddress) {
      socket.destroy();
      return false;
    }
    this.open++;
    this.perAddress.set(address, fromAddress + 1);
    socket.once('close', () => {
      this.open--;
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    });
    return true;
  }
}
