/**
 * Splits what the modem writes into lines (CR, LF or CR LF; empty lines and NUL bytes that some
 * modems pad with are dropped), and, when told after a header line, reads the next `n`
 * characters as they are: the body of a text-mode message, which may be "OK", "ERROR", look like
 * an unsolicited code or span several lines, so it must be read by its length, never by lines.
 */

export type ReaderEvent =
  | { kind: 'line'; line: string }
  /** A body read by its length; `aligned` false: no line end followed it (the length was wrong). */
  | { kind: 'body'; body: string; aligned: boolean };

export class LineReader {
  private buffer = '';
  /** A header line ended in CR: its LF may still come and is not a line of its own. */
  private skipLf = false;
  private body: { remaining: number; text: string } | null = null;

  /** Characters received since the last complete line (a prompt "> " sits here). */
  get pending(): string {
    return this.buffer;
  }

  clearPending(): void {
    this.buffer = '';
  }

  /** Drops what is buffered (after a timeout: half a line is of no use). */
  reset(): void {
    this.buffer = '';
    this.skipLf = false;
    this.body = null;
  }

  /** The next `length` characters after the line just read are a body, read by length. */
  expectBody(length: number): void {
    this.body = { remaining: Math.max(0, length), text: '' };
  }

  /** Feeds a chunk; `emit` is called per line or body (it may call expectBody for the next). */
  push(chunk: string, emit: (event: ReaderEvent) => void): void {
    this.buffer += chunk;
    for (;;) {
      if (this.skipLf && this.buffer.length > 0) {
        if (this.buffer[0] === '\n') this.buffer = this.buffer.slice(1);
        this.skipLf = false;
      }
      if (this.body) {
        if (!this.readBody(emit)) return;
        continue;
      }
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) return;
      // NUL bytes pad some modems' output (between lines, or a line of its own).
      // eslint-disable-next-line no-control-regex -- NUL is what is stripped
      const line = this.buffer.slice(0, end).replace(/\x00/g, '').trim();
      this.skipLf = this.buffer[end] === '\r';
      this.buffer = this.buffer.slice(end + 1);
      if (line.length > 0) emit({ kind: 'line', line });
    }
  }

  /** True when the body is complete (and emitted), false when more characters are needed. */
  private readBody(emit: (event: ReaderEvent) => void): boolean {
    const body = this.body as { remaining: number; text: string };
    if (body.remaining > 0) {
      const take = this.buffer.slice(0, body.remaining);
      body.text += take;
      body.remaining -= take.length;
      this.buffer = this.buffer.slice(take.length);
      if (body.remaining > 0) return false;
    }
    if (this.buffer.length === 0) return false; // the line end after the body decides if the length was right
    this.body = null;
    emit({ kind: 'body', body: body.text, aligned: this.buffer[0] === '\r' || this.buffer[0] === '\n' });
    return true;
  }
}
