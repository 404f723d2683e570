/**
 * Opens a serial device with `serialport` as a ByteLink, and turns open failures into errors that
 * say what to do. serialport is loaded on first use, so merely loading the package (n8n does
 * that for every installed node) never touches the native binding.
 */
import type { SerialPort } from 'serialport';
import type { ByteLink } from './at/byte-link';

export type ModemOpenErrorCode = 'not_found' | 'permission' | 'busy' | 'open_failed';

export class ModemOpenError extends Error {
  constructor(
    message: string,
    readonly code: ModemOpenErrorCode,
    readonly path: string,
  ) {
    super(message);
    this.name = 'ModemOpenError';
  }
}

export interface SerialLinkOptions {
  path: string;
  baudRate: number;
}

/** Maps serialport's open errors ("No such file or directory, cannot open ...") to advice. */
export function describeOpenError(path: string, error: Error): ModemOpenError {
  const text = error.message;
  if (/no such file|ENOENT/i.test(text)) {
    return new ModemOpenError(
      `the serial device ${path} does not exist: is the modem plugged in? USB modems appear as /dev/ttyUSB* or /dev/ttyACM*; a /dev/serial/by-id/... path survives re-plugging`,
      'not_found',
      path,
    );
  }
  if (/permission denied|EACCES/i.test(text)) {
    return new ModemOpenError(
      `permission denied opening ${path}: the user running n8n needs access to it (on Linux: add it to the "dialout" group, then log in again)`,
      'permission',
      path,
    );
  }
  if (/cannot lock|resource temporarily unavailable|EBUSY|EAGAIN/i.test(text)) {
    return new ModemOpenError(
      `${path} is in use by another program (ModemManager, gammu, smstools or another n8n instance); stop it or give n8n another port`,
      'busy',
      path,
    );
  }
  return new ModemOpenError(`cannot open ${path}: ${text}`, 'open_failed', path);
}

class SerialPortLink implements ByteLink {
  private closeListeners: Array<(reason: string) => void> = [];
  private closeReason: string | null = null;

  constructor(private readonly port: SerialPort) {
    port.on('close', (error: (Error & { disconnected?: boolean }) | null) => {
      this.closed(error?.disconnected ? `the device ${port.path} disappeared (${error.message})` : `${port.path} was closed`);
    });
    // Write errors after a disconnect also surface here; 'close' follows and carries the reason.
    port.on('error', (error: Error) => this.closed(`serial error on ${port.path}: ${error.message}`));
  }

  write(data: string | Buffer): void {
    if (this.closeReason === null) this.port.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.port.on('data', listener);
  }

  onClose(listener: (reason: string) => void): void {
    if (this.closeReason !== null) listener(this.closeReason);
    else this.closeListeners.push(listener);
  }

  close(): Promise<void> {
    if (!this.port.isOpen) {
      this.closed(`${this.port.path} was closed`);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.port.close(() => {
        this.closed(`${this.port.path} was closed`);
        resolve();
      });
    });
  }

  private closed(reason: string): void {
    if (this.closeReason !== null) return;
    this.closeReason = reason;
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const listener of listeners) listener(reason);
    if (this.port.isOpen) this.port.close(() => undefined);
  }
}

export async function openSerialLink(options: SerialLinkOptions): Promise<ByteLink> {
  const { SerialPort: Port } = await import('serialport');
  const port = new Port({ path: options.path, baudRate: options.baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => {
    port.open((error) => (error ? reject(describeOpenError(options.path, error)) : resolve()));
  });
  return new SerialPortLink(port);
}
