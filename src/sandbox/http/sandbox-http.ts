import * as http from 'http';
import type { SandboxSmsc } from '../sandbox-smsc';
import { SandboxEventStream } from './event-stream';
import type { EventStreamOptions } from './event-stream';
import { parseFaultsInput } from './faults-input';
import { assertSameOrigin, HttpError, readJsonObject, sendError, sendJson } from './http-io';
import { parseMessageQuery } from './message-query';
import { MoPartCounts } from './message-view';
import { injectMo } from './mo-injector';
import { parseMoInput } from './mo-input';
import { isStaticPath, serveStatic } from './static-files';
import { statsSnapshot } from './stats-snapshot';
import { sendCellBroadcasts } from './cell-broadcasts-route';

export const DEFAULT_SANDBOX_HTTP_PORT = 8025;

export interface SandboxHttpOptions extends EventStreamOptions {
  /** Default 8025; 0 picks a free port (tests). */
  port?: number;
  /** Default 127.0.0.1: the sandbox has no authentication, keep it off public interfaces. */
  host?: string;
}

export interface SandboxHttpServer {
  port: number;
  /** e.g. http://127.0.0.1:8025 */
  url: string;
  /** The live event stream (its client count, and the stats tick for tests). */
  events: SandboxEventStream;
  close(): Promise<void>;
}

type Route = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<void> | void;

/** Starts the sandbox's JSON API, event stream and phone inbox page beside a running SandboxSmsc. */
export async function startSandboxHttp(smsc: SandboxSmsc, options: SandboxHttpOptions = {}): Promise<SandboxHttpServer> {
  const partCounts = new MoPartCounts();
  const events = new SandboxEventStream(smsc, partCounts, options);

  const routes: Record<string, Route> = {
    'GET /api/messages': (_req, res, url) => {
      const { limit, ...filter } = parseMessageQuery(url.searchParams);
      const matching = smsc.store.list(filter);
      const newest = matching.slice(Math.max(0, matching.length - limit));
      sendJson(res, 200, { total: matching.length, truncated: newest.length < matching.length, messages: newest.map((m) => partCounts.view(m)) });
    },
    'DELETE /api/messages': (_req, res) => {
      smsc.store.clear();
      partCounts.clear();
      events.announce('cleared', { at: Date.now() });
      sendJson(res, 200, { cleared: true });
    },
    'POST /api/mo': async (req, res) => {
      const request = parseMoInput(await readJsonObject(req));
      const outcome = await injectMo(smsc, request, partCounts);
      sendJson(res, outcome.pending ? 202 : 200, outcome);
    },
    'POST /api/faults': async (req, res) => {
      const faults = parseFaultsInput(await readJsonObject(req));
      const current = smsc.setFaults(faults);
      events.announce('faults', current);
      sendJson(res, 200, { faults: current });
    },
    'GET /api/faults': (_req, res) => sendJson(res, 200, { faults: statsSnapshot(smsc).faults }),
    'POST /api/drop': (_req, res, url) => {
      // ?count=1 drops one bind of several (a carrier losing one link); all of them without it.
      const raw = url.searchParams.get('count');
      const count = raw === null ? Infinity : Number(raw);
      if (raw !== null && (!Number.isInteger(count) || count < 1)) throw new HttpError(400, `count must be a whole number of at least 1 (got "${raw}")`);
      const dropped = smsc.dropConnections(count);
      events.announce('drop', { dropped, at: Date.now() });
      sendJson(res, 200, { dropped });
    },
    'GET /api/stats': (_req, res) => sendJson(res, 200, statsSnapshot(smsc)),
    'GET /api/broadcasts': (_req, res) => sendCellBroadcasts(smsc, res),
    // Accepted with a schedule_delivery_time still to come: not on the phone yet (query_sm says ENROUTE).
    'GET /api/scheduled': (_req, res) => sendJson(res, 200, { messages: smsc.scheduled.list() }),
    'GET /api/events': (req, res) => events.attach(req, res),
  };
  const allowedMethods = new Map<string, string[]>();
  for (const key of Object.keys(routes)) {
    const [method, path] = key.split(' ');
    allowedMethods.set(path, [...(allowedMethods.get(path) ?? []), method]);
  }

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const method = req.method ?? 'GET';
    if (isStaticPath(url.pathname) && (method === 'GET' || method === 'HEAD')) return serveStatic(url.pathname, res, method === 'HEAD');
    const route = routes[`${method} ${url.pathname}`];
    if (route) {
      if (method !== 'GET' && method !== 'HEAD') assertSameOrigin(req);
      return route(req, res, url);
    }
    const allowed = allowedMethods.get(url.pathname);
    if (allowed) {
      res.setHeader('allow', allowed.join(', '));
      throw new HttpError(405, `${method} is not allowed on ${url.pathname}; use ${allowed.join(' or ')}`);
    }
    throw new HttpError(404, `no such endpoint: ${method} ${url.pathname.slice(0, 100)}`);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) return sendError(res, err.status, err.message);
      // Unexpected: say what failed without a stack trace (the sandbox is a test tool, the message helps).
      sendError(res, 500, `the sandbox failed to handle ${req.method} ${req.url?.split('?')[0]}: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_SANDBOX_HTTP_PORT, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const host = options.host ?? '127.0.0.1';
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    events,
    close: async () => {
      events.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
