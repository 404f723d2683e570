/**
 * Everything a test's code printed, for secret scans: console.* calls (jest replaces console
 * with its own, which never reaches process.stdout) and raw writes to process.stdout/stderr.
 * Console output is kept, not printed; raw writes still go through (jest's reporter may use them).
 */
import { format } from 'node:util';
import { serializeForSearch } from '../../harness/n8n-harness';

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace';
const CONSOLE_METHODS: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug', 'trace'];

export class OutputCapture {
  private readonly chunks: string[] = [];
  private restore: Array<() => void> = [];

  start(): this {
    if (this.restore.length > 0) return this;
    for (const method of CONSOLE_METHODS) {
      const original = console[method];
      console[method] = (...args: unknown[]) => {
        // format() for what a person reads; serializeForSearch for errors' stacks and objects' depths.
        this.chunks.push(`${format(...args)} ${args.map((arg) => (typeof arg === 'object' ? serializeForSearch(arg) : '')).join(' ')}`);
      };
      this.restore.push(() => {
        console[method] = original;
      });
    }
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write;
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
      }) as typeof stream.write;
      this.restore.push(() => {
        stream.write = original;
      });
    }
    return this;
  }

  stop(): void {
    for (const undo of this.restore.splice(0).reverse()) undo();
  }

  /** Position for text(from): only what was printed after it. */
  mark(): number {
    return this.chunks.length;
  }

  text(from = 0): string {
    return this.chunks.slice(from).join('\n');
  }
}

/** The names of the secrets that occur in `text` (an empty list is the passing answer); never the values. */
export function leakedSecrets(text: string, secrets: Record<string, string | string[]>): string[] {
  const leaks: string[] = [];
  for (const [name, values] of Object.entries(secrets)) {
    for (const value of Array.isArray(values) ? values : [values]) {
      if (value.length < 4) throw new Error(`secret "${name}" is too short to search for reliably`);
      // A code of digits is only a leak as a whole number, not inside a timestamp or an id.
      const found = /^\d+$/.test(value) ? new RegExp(`(?<!\\d)${value}(?!\\d)`).test(text) : text.includes(value);
      if (found) leaks.push(`${name} (${value.length} characters)`);
    }
  }
  return leaks;
}
