import type { IncomingMessage, ServerResponse } from 'http';

/** Largest request body the sandbox API reads (1 MB); anything bigger is answered 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** An error that becomes an HTTP answer: the status and a message safe to show to the caller. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Writes a JSON answer with no-store caching (the sandbox's state changes all the time). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** Answers `{ error }` with the status; the message never carries a stack trace. */
export function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { error: message });
}

/** Reads the body as UTF-8 up to MAX_BODY_BYTES; rejects with HttpError 413 beyond that. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(new HttpError(413, `request body is ${declared} bytes; the limit is ${limit} bytes (1 MB)`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        // Keep draining (without storing) so the answer can still be written on this socket.
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) reject(new HttpError(413, `request body is over the limit of ${limit} bytes (1 MB)`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) => reject(new HttpError(400, `could not read the request body: ${err.message}`)));
  });
}

/** Reads and parses a JSON object body; an empty body counts as `{}`. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  // A cross-site form can post text/plain without a CORS preflight; JSON cannot be sent that way.
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (type !== 'application/json')
    throw new HttpError(415, `request body must be sent as content-type application/json, got ${type ? `"${type.slice(0, 60)}"` : 'no content-type'}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new HttpError(400, `request body is not valid JSON (${reason})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, `request body must be a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
  }
  return value as Record<string, unknown>;
}

/** Describes a value's type for error messages ("a string", "an array", "null"). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

/**
 * Refuses state-changing requests from another site's page (the sandbox has no login: a page
 * elsewhere could otherwise inject MO messages into the user's workflows). Browsers send Origin on
 * cross-origin POST/DELETE; tools like curl send none and are let through.
 */
export function assertSameOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = '';
  }
  if (originHost === '' || originHost !== req.headers.host) {
    throw new HttpError(403, `requests from another origin (${origin.slice(0, 80)}) may not change the sandbox; use its own page or a non-browser client`);
  }
}
