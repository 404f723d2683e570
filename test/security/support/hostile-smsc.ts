import * as net from 'net';
import { CommandId, RESPONSE_BIT } from '../../../src/transport/smpp/pdu/command-ids';
import { FrameError, FrameReader } from '../../../src/transport/smpp/pdu/frame-reader';
import { encodeGeneric, encodeSimpleResponse } from '../../../src/transport/smpp/pdu/pdu-codec';
import type { WireFrame } from './raw-peer';

const BIND_IDS = new Set<number>([CommandId.bindReceiver, CommandId.bindTransmitter, CommandId.bindTransceiver]);

/**
 * One client connection to the HostileSmsc. By default it answers like a polite SMSC (binds OK,
 * submit_sm with id `m<seq>`, enquire_link, unbind); a test replaces `onFrame` to misbehave.
 */
export class HostileConnection {
  readonly frames: WireFrame[] = [];
  framingError: FrameError | null = null;
  closed = false;
  onFrame: (frame: WireFrame) => void = (frame) => this.answerPolitely(frame);
  private readonly reader = new FrameReader();
  private waiters: Array<() => void> = [];

  constructor(
    readonly index: number,
    readonly socket: net.Socket,
  ) {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('data', (chunk: Buffer) => {
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
        const frame = Buffer.from(raw);
        const wire = { commandId: frame.readUInt32BE(4), status: frame.readUInt32BE(8), sequence: frame.readUInt32BE(12), frame };
        this.frames.push(wire);
        this.onFrame(wire);
      }
      this.wake();
    });
  }

  send(bytes: Buffer): void {
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.write(bytes);
  }

  answerPolitely(frame: WireFrame): void {
    const { commandId, sequence } = frame;
    if (BIND_IDS.has(commandId)) {
      const name =
        commandId === CommandId.bindTransceiver
          ? 'bind_transceiver_resp'
          : commandId === CommandId.bindTransmitter
            ? 'bind_transmitter_resp'
            : 'bind_receiver_resp';
      this.send(encodeGeneric(name, sequence, { system_id: 'HOSTILE' }));
    } else if (commandId === CommandId.submitSm) {
      this.send(encodeSimpleResponse(CommandId.submitSmResp, 0, sequence, `m${sequence}`));
    } else if (commandId === CommandId.enquireLink) {
      this.send(encodeSimpleResponse(CommandId.enquireLinkResp, 0, sequence));
    } else if (commandId === CommandId.unbind) {
      this.send(encodeSimpleResponse(CommandId.unbindResp, 0, sequence));
      this.socket.end();
    }
  }

  /** Frames the client sent in answer (responses and generic_nack). */
  responses(): WireFrame[] {
    return this.frames.filter((f) => (f.commandId & RESPONSE_BIT) !== 0);
  }

  waitUntil(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== onWake);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${this.frames.length} frames from the client, closed=${this.closed})`));
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

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** A raw TCP "SMSC" whose every connection a test can script (see HostileConnection). */
export class HostileSmsc {
  readonly connections: HostileConnection[] = [];
  private readonly listeners: Array<(c: HostileConnection) => void> = [];

  private constructor(
    private readonly server: net.Server,
    private readonly script: (conn: HostileConnection) => void,
  ) {
    server.on('connection', (socket) => {
      const conn = new HostileConnection(this.connections.length, socket);
      this.connections.push(conn);
      this.script(conn);
      for (const l of [...this.listeners]) l(conn);
    });
  }

  static async start(script: (conn: HostileConnection) => void = () => undefined): Promise<HostileSmsc> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new HostileSmsc(server, script);
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Resolves with connection number `index` (0-based) once the client opened it. */
  connection(index: number): Promise<HostileConnection> {
    const existing = this.connections[index];
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve) => {
      const listener = (c: HostileConnection): void => {
        if (c.index !== index) return;
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        resolve(c);
      };
      this.listeners.push(listener);
    });
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
