import { promises as fs } from 'fs';
import * as path from 'path';
import type { ServerResponse } from 'http';

/** The inbox page's files; scripts/copy-assets.js copies every `static` folder under src/ into dist/. */
export const STATIC_DIR = path.join(__dirname, 'static');

/** Only these files are served: a fixed list, so no request path ever reaches the file system. */
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/inbox.css': { file: 'inbox.css', type: 'text/css; charset=utf-8' },
  '/inbox.js': { file: 'inbox.js', type: 'text/javascript; charset=utf-8' },
  '/dom.js': { file: 'dom.js', type: 'text/javascript; charset=utf-8' },
  '/conversations.js': { file: 'conversations.js', type: 'text/javascript; charset=utf-8' },
  '/phone-cards.js': { file: 'phone-cards.js', type: 'text/javascript; charset=utf-8' },
  '/controls.js': { file: 'controls.js', type: 'text/javascript; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/** Message text is shown with textContent, and the policy forbids inline script as a second wall. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function isStaticPath(pathname: string): boolean {
  return Object.prototype.hasOwnProperty.call(FILES, pathname);
}

/** Serves one of the page's files; read on each request so edits show without a restart. */
export async function serveStatic(pathname: string, res: ServerResponse, headOnly: boolean): Promise<void> {
  const entry = FILES[pathname];
  const body = await fs.readFile(path.join(STATIC_DIR, entry.file));
  res.writeHead(200, { 'content-type': entry.type, 'content-length': body.length, 'cache-control': 'no-cache', ...SECURITY_HEADERS });
  res.end(headOnly ? undefined : body);
}
