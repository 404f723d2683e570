/**
 * A pseudo-terminal whose slave side is a real serial device for `serialport` (at `path`) and
 * whose master side is this object's write()/onData(): the modem simulator sits here. Made by a
 * small python3 helper (see pty-bridge-script.ts), so tests need no socat and no native addon.
 */
import { spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Writable } from 'stream';
import { PTY_BRIDGE_SCRIPT } from './pty-bridge-script';

export interface PtyBridgeOptions {
  /** Where to put the device link; default a new temporary folder. */
  path?: string;
  /** Python interpreter; default `python3` (env SMS_GATEWAY_PYTHON overrides). */
  python?: string;
}

export class PtyBridge {
  private listeners: Array<(chunk: Buffer) => void> = [];
  private waiters: Array<{ status: string; resolve: () => void }> = [];
  private stopped = false;

  private constructor(
    readonly path: string,
    private readonly child: ChildProcess,
    private readonly tempDir?: string,
  ) {
    // The helper's pipes reset when it exits; that is the end of the bridge, not an error to throw.
    for (const stream of child.stdio) stream?.on('error', () => undefined);
    child.stdout?.on('data', (chunk: Buffer) => {
      for (const listener of this.listeners) listener(chunk);
    });
    let status = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      status += chunk.toString();
      let newline: number;
      while ((newline = status.indexOf('\n')) >= 0) {
        const line = status.slice(0, newline).trim();
        status = status.slice(newline + 1);
        const index = this.waiters.findIndex((w) => w.status === line);
        if (index >= 0) this.waiters.splice(index, 1)[0].resolve();
      }
    });
  }

  static async start(options: PtyBridgeOptions = {}): Promise<PtyBridge> {
    const tempDir = options.path ? undefined : mkdtempSync(join(tmpdir(), 'gsm-modem-sim-'));
    const path = options.path ?? join(tempDir as string, 'ttyGSM0');
    const python = options.python ?? process.env.SMS_GATEWAY_PYTHON ?? 'python3';
    // A test and demo tool that no node loads: it runs python3 (or the interpreter the caller
    // names) with our own fixed script to make a pseudo-terminal; no user input reaches the command.
    // eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
    const child = spawn(python, ['-c', PTY_BRIDGE_SCRIPT, path], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    const bridge = new PtyBridge(path, child, tempDir);
    const ready = bridge.waitStatus('ready');
    await new Promise<void>((resolve, reject) => {
      child.once('error', (error) => reject(new Error(`cannot start ${python} to create a pseudo-terminal for the modem simulator: ${error.message}`)));
      child.once('exit', (code) => reject(new Error(`the pseudo-terminal helper (${python}) exited with code ${code} before it was ready`)));
      ready.then(resolve, reject);
    });
    child.removeAllListeners('exit');
    child.on('exit', () => {
      bridge.stopped = true;
    });
    return bridge;
  }

  write(data: string | Buffer): void {
    if (!this.stopped) this.child.stdin?.write(data);
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.listeners.push(listener);
  }

  /** Unplugs the device: the pty closes under whoever has it open, and the path disappears. */
  vanish(): Promise<void> {
    return this.control('vanish', 'vanished');
  }

  /** Plugs it back in: a new pty at the same path. */
  restore(): Promise<void> {
    return this.control('return', 'ready');
  }

  async stop(): Promise<void> {
    if (!this.stopped) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.controlPipe().end('quit\n');
      this.child.stdin?.end();
      await exited;
    }
    this.stopped = true;
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }

  private controlPipe(): Writable {
    return this.child.stdio[3] as Writable;
  }

  private control(command: string, status: string): Promise<void> {
    const done = this.waitStatus(status);
    this.controlPipe().write(`${command}\n`);
    return done;
  }

  private waitStatus(status: string): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ status, resolve }));
  }
}
