import * as http from 'http';
import { requestJson, startSandboxHttpFixture } from './support/sandbox-http-fixture';
import type { SandboxHttpFixture } from './support/sandbox-http-fixture';

/** A request with exact headers (fetch adds or forbids some, such as Origin). */
function rawRequest(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  const url = new URL(`${base}${path}`);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('sandbox HTTP request handling', () => {
  let f: SandboxHttpFixture;
  beforeEach(async () => {
    f = await startSandboxHttpFixture();
  });
  afterEach(async () => {
    await f.stop();
  });

  it('answers invalid JSON with 400 and a body over 1 MB with 413, without a stack trace', async () => {
    const invalid = await requestJson<{ error: string }>(f.base, 'POST', '/api/faults', '{"throttleRatio": ');
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatch(/^request body is not valid JSON/);
    expect(invalid.body.error).not.toMatch(/\n\s+at /);

    const huge = await requestJson<{ error: string }>(f.base, 'POST', '/api/mo', JSON.stringify({ text: 'x'.repeat(1024 * 1024 + 10) }));
    expect(huge.status).toBe(413);
    expect(huge.body.error).toMatch(/limit is 1048576 bytes \(1 MB\)/);
  });

  it('answers 413 for an oversized chunked body (no content-length)', async () => {
    const url = new URL(`${f.base}/api/faults`);
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'transfer-encoding': 'chunked', 'content-type': 'application/json' },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      const chunk = 'y'.repeat(64 * 1024);
      for (let i = 0; i < 20; i++) req.write(chunk);
      req.end();
    });
    expect(status.status).toBe(413);
    expect(JSON.parse(status.body).error).toMatch(/over the limit of 1048576 bytes/);
  });

  it('refuses bodies that are not application/json (415) and changes from another origin (403)', async () => {
    const plain = await rawRequest(
      f.base,
      'POST',
      '/api/mo',
      { 'content-type': 'text/plain' },
      JSON.stringify({ from: '447700900123', to: '12345', text: 'forged' }),
    );
    expect(plain.status).toBe(415);
    expect(JSON.parse(plain.body).error).toBe('request body must be sent as content-type application/json, got "text/plain"');

    const foreign = await rawRequest(f.base, 'POST', '/api/drop', { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error).toMatch(/^requests from another origin \(http:\/\/evil\.example\) may not change the sandbox/);
    const sameOrigin = await rawRequest(f.base, 'POST', '/api/faults', { origin: f.base, 'content-type': 'application/json' }, '{"latencyMs": 7}');
    expect(sameOrigin.status).toBe(200);
    expect(f.smsc.store.list()).toHaveLength(0);
    expect(f.smsc.faults.latencyMs).toBe(7);
    expect(f.smsc.stats.drops).toBe(0);
  });

  it('answers 404 for unknown paths and 405 with Allow for wrong methods', async () => {
    const missing = await requestJson<{ error: string }>(f.base, 'GET', '/api/nothing');
    expect(missing).toMatchObject({ status: 404, body: { error: 'no such endpoint: GET /api/nothing' } });
    const wrong = await requestJson<{ error: string }>(f.base, 'PUT', '/api/messages');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, DELETE');
    expect(wrong.body.error).toMatch(/PUT is not allowed on \/api\/messages/);
  });

  it('serves the inbox page with a content security policy that forbids inline script', async () => {
    const page = await fetch(`${f.base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(await page.text()).toContain('<script type="module" src="inbox.js"></script>');
    for (const file of ['inbox.js', 'dom.js', 'conversations.js', 'phone-cards.js', 'controls.js']) {
      const script = await fetch(`${f.base}/${file}`);
      expect({ file, status: script.status, type: script.headers.get('content-type') }).toEqual({ file, status: 200, type: 'text/javascript; charset=utf-8' });
      expect(await script.text()).not.toMatch(/innerHTML|insertAdjacentHTML|outerHTML|document\.write/);
    }
    expect((await fetch(`${f.base}/../package.json`)).status).toBe(404);
  });
});
