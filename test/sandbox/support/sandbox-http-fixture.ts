import { startSandboxHttp } from '../../../src/sandbox/http';
import type { SandboxHttpOptions, SandboxHttpServer } from '../../../src/sandbox/http';
import type { SandboxSmsc } from '../../../src/sandbox/sandbox-smsc';
import type { SandboxOptions } from '../../../src/sandbox/types';
import { SmppTransport } from '../../../src/transport/smpp/smpp-transport';
import type { SmppTransportOptions } from '../../../src/transport/smpp/types';
import { sandboxTransportOptions, startSandbox } from '../../support/sandbox';

/** A sandbox SMSC with its HTTP server on free ports, plus SMPP clients that are closed with it. */
export interface SandboxHttpFixture {
  smsc: SandboxSmsc;
  http: SandboxHttpServer;
  base: string;
  /** Binds a transport; `setup` runs before the bind (e.g. to add an inbound handler in time). */
  connect(extra?: Partial<SmppTransportOptions>, setup?: (transport: SmppTransport) => void): Promise<SmppTransport>;
  stop(): Promise<void>;
}

export async function startSandboxHttpFixture(options: SandboxOptions = {}, httpOptions: SandboxHttpOptions = {}): Promise<SandboxHttpFixture> {
  const smsc = await startSandbox(options);
  const http = await startSandboxHttp(smsc, { port: 0, ...httpOptions });
  const transports: SmppTransport[] = [];
  return {
    smsc,
    http,
    base: http.url,
    connect: async (extra = {}, setup) => {
      const transport = new SmppTransport(sandboxTransportOptions(smsc, extra));
      transports.push(transport);
      setup?.(transport);
      await transport.start();
      return transport;
    },
    stop: async () => {
      await Promise.all(transports.map((t) => t.close(100)));
      await http.close();
      await smsc.stop();
    },
  };
}

export interface JsonAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** One HTTP request with a JSON (or raw string) body; answers the status and parsed JSON. */
export async function requestJson<T = Record<string, unknown>>(base: string, method: string, path: string, body?: unknown): Promise<JsonAnswer<T>> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as T, headers: response.headers };
}
