/** A bare TCP client that writes frames as given and collects decoded answers: for protocol-abuse tests. */
import * as net from 'net';
import { FrameReader } from '../../../src/transport/smpp/pdu/frame-reader';
import { decodeFrame } from '../../../src/transport/smpp/pdu/pdu-codec';
import type { DecodedPdu } from '../../../src/transport/smpp/pdu/pdu-codec';

export class RawSmppClient {
  readonly received: DecodedPdu[] = [];
  closed = false;
  private readonly reader = new FrameReader(1 << 20);
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.reader.push(chunk)) this.received.push(decodeFrame(Buffer.from(frame)));
      this.wake();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(port: number): Promise<RawSmppClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(new RawSmppClient(socket)));
      socket.once('error', reject);
    });
  }

  write(frame: Buffer): void {
    this.socket.write(frame);
  }

  /** Waits until `count` answers arrived (or the connection closed). */
  async answers(count: number, timeoutMs = 5000): Promise<DecodedPdu[]> {
    await this.until(() => this.received.length >= count || this.closed, `${count} answers`, timeoutMs);
    return this.received.slice(0, count);
  }

  async untilClosed(timeoutMs = 5000): Promise<void> {
    await this.until(() => this.closed, 'the server to close the connection', timeoutMs);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}
