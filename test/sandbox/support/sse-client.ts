import * as http from 'http';

export interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads a server-sent event stream and lets a test wait for the event it expects. */
export class SseClient {
  readonly events: SseEvent[] = [];
  private buffer = '';
  private request: http.ClientRequest | null = null;
  private waiters: Array<() => void> = [];
  status = 0;
  contentType = '';

  static open(url: string): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      client.request = http.get(url, (res) => {
        client.status = res.statusCode ?? 0;
        client.contentType = String(res.headers['content-type'] ?? '');
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.onData(chunk));
        resolve(client);
      });
      client.request.on('error', (err) => {
        if (client.status === 0) reject(err);
      });
    });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) this.events.push({ event, data: JSON.parse(data.join('\n')) });
    }
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves with the first event of `type` (already received or coming) that matches. */
  async next<T = Record<string, unknown>>(type: string, matches: (data: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.event === type && matches(e.data as T));
      if (found) return found.data as T;
      if (Date.now() > deadline) throw new Error(`no "${type}" event arrived; got: ${this.events.map((e) => e.event).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.request?.destroy();
  }
}
