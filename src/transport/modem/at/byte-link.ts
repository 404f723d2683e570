/** The serial connection the AT channel talks over (a serial port, or anything byte-shaped). */
export interface ByteLink {
  write(data: string | Buffer): void;
  onData(listener: (chunk: Buffer) => void): void;
  /** Called once when the link goes away (closed, unplugged, read error), with why. */
  onClose(listener: (reason: string) => void): void;
  close(): Promise<void>;
}
