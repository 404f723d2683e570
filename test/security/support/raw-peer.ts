import * as net from 'net';
import { CommandId, RESPONSE_BIT } from '../../../src/transport/smpp/pdu/command-ids';
import { FrameError, FrameReader } from '../../../src/transport/smpp/pdu/frame-reader';
import { encodeGeneric, encodeSimpleResponse } from '../../../src/transport/smpp/pdu/pdu-codec';

/** A frame as it came off the wire, with its header read. */
export interface WireFrame {
  commandId: number;
  status: number;
  sequence: number;
  frame: Buffer;
}

function header(frame: Buffer): WireFrame {
  return { commandId: frame.readUInt32BE(4), status: frame.readUInt32BE(8), sequence: frame.readUInt32BE(12), frame };
}

/**
 * A raw SMPP peer on a plain socket, for sending whatever bytes a test likes (hostile ESME) and
 * recording every frame that comes back. It answers the server's own requests (deliver_sm,
 * enquire_link) like a polite ESME, so receipts for fuzzed submits do not pile up.
 */
export class RawPeer {
  readonly frames: WireFrame[] = [];
  /** Set when the other side sent bytes that are not a valid SMPP stream. */
  framingError: FrameError | null = null;
  closed = false;
  readonly closedPromise: Promise<void>;
  private readonly reader = new FrameReader();
  private waiters: Array<() => void> = [];

  private constructor(
    readonly socket: net.Socket,
    private readonly answerRequests: boolean,
  ) {
    this.closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined); // resets by the server are expected; 'close' follows
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(port: number, options: { answerRequests?: boolean } = {}): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        socket.setNoDelay(true);
        resolve(new RawPeer(socket, options.answerRequests ?? true));
      });
    });
  }

  send(bytes: Buffer): void {
    // A write after our own FIN would error and destroy the socket, losing what is still to be read.
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.write(bytes);
  }

  /** Sends a bind and waits for its answer; returns the command_status. */
  async bind(mode: 'transceiver' | 'transmitter' | 'receiver', systemId: string, password: string, sequence = 1): Promise<number> {
    this.send(encodeGeneric(`bind_${mode}`, sequence, { system_id: systemId, password, interface_version: 0x34 }));
    const answer = await this.waitForAnswer(sequence, `bind_${mode}_resp`);
    if (!answer) throw new Error(`connection closed before the bind_${mode}_resp`);
    return answer.status;
  }

  /** The first response (or generic_nack) with this sequence number; null if the link closed first. */
  async waitForAnswer(sequence: number, what: string, timeoutMs = 15_000): Promise<WireFrame | null> {
    const found = (): WireFrame | undefined => this.frames.find((f) => (f.commandId & RESPONSE_BIT) !== 0 && f.sequence === sequence);
    await this.waitUntil(() => found() !== undefined || this.closed, what, timeoutMs);
    return found() ?? null;
  }

  /** Waits until check() holds, re-checking on every frame and on close; fails after timeoutMs. */
  waitUntil(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== onWake);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${this.frames.length} frames received, closed=${this.closed})`));
      }, timeoutMs);
      const onWake = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== onWake);
        resolve();
      };
      this.waiters.push(onWake);
    });
  }

  responses(): WireFrame[] {
    return this.frames.filter((f) => (f.commandId & RESPONSE_BIT) !== 0);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.framingError) return;
    let frames: Buffer[];
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      this.framingError = err as FrameError;
      this.wake();
      return;
    }
    for (const raw of frames) {
      const frame = header(Buffer.from(raw));
      this.frames.push(frame);
      if (!this.answerRequests) continue;
      if (frame.commandId === CommandId.deliverSm) this.send(encodeSimpleResponse(CommandId.deliverSmResp, 0, frame.sequence, ''));
      if (frame.commandId === CommandId.enquireLink) this.send(encodeSimpleResponse(CommandId.enquireLinkResp, 0, frame.sequence));
    }
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
