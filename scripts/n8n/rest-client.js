'use strict';
// A small client for n8n's internal REST API (the one its editor uses), for tests and the demo.
// n8n 2.40.7 ties its auth cookie (`n8n-auth`, a JWT) to a `browser-id` header: the JWT holds a
// hash of the browser id sent at login, and most endpoints reject a request without the same id.

const crypto = require('node:crypto');

const AUTH_COOKIE = 'n8n-auth';

class N8nRestError extends Error {
  constructor(method, path, status, body) {
    const detail = body && typeof body === 'object' && 'message' in body ? body.message : JSON.stringify(body);
    super(`${method} ${path} answered ${status}: ${String(detail).slice(0, 500)}`);
    this.name = 'N8nRestError';
    this.status = status;
    this.body = body;
  }
}

/** A request lost to a kept-alive socket the server closed (undici's SocketError, a reset). */
function isStaleSocket(err) {
  const cause = err && err.cause;
  return Boolean(cause) && (cause.code === 'UND_ERR_SOCKET' || cause.code === 'ECONNRESET');
}

class N8nRestClient {
  /** @param {string} baseUrl e.g. http://127.0.0.1:5678 (no trailing /rest) */
  constructor(baseUrl) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.browserId = crypto.randomUUID();
    /** @type {string | null} the value of the n8n-auth cookie once logged in */
    this.authToken = null;
  }

  /**
   * Sends a request and returns the body; n8n wraps REST answers in `{ data }`, which is unwrapped.
   * @param {'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'} method
   * @param {string} path a path below the server root, e.g. /rest/workflows or /types/nodes.json
   * @param {unknown} [body]
   */
  async request(method, path, body) {
    const headers = { 'browser-id': this.browserId, accept: 'application/json' };
    if (this.authToken) headers.cookie = `${AUTH_COOKIE}=${this.authToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const send = () => fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let response;
    try {
      response = await send();
    } catch (err) {
      // fetch reuses keep-alive sockets; n8n closes idle ones after 5 s, and a request written as
      // the server closes its socket fails with "other side closed". A GET is safe to send again.
      if (method !== 'GET' || !isStaleSocket(err)) throw err;
      response = await send();
    }
    this.rememberAuthCookie(response);
    const text = await response.text();
    let parsed = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (an HTML error page, a plain-text message): keep the text
    }
    if (!response.ok) throw new N8nRestError(method, path, response.status, parsed);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'data' in parsed) return parsed.data;
    return parsed;
  }

  get(path) {
    return this.request('GET', path);
  }

  post(path, body) {
    return this.request('POST', path, body === undefined ? {} : body);
  }

  patch(path, body) {
    return this.request('PATCH', path, body);
  }

  delete(path) {
    return this.request('DELETE', path);
  }

  /** Logs in with email and password; the cookie is kept for later requests. */
  async login(email, password) {
    return this.post('/rest/login', { emailOrLdapLoginId: email, password });
  }

  /**
   * Publishes (activates) a saved workflow so its triggers and webhooks go live, as the editor's
   * "Publish" button does; works while the server runs, unlike the CLI's publish:workflow.
   */
  async activateWorkflow(workflowId) {
    const path = `/rest/workflows/${encodeURIComponent(workflowId)}`;
    const workflow = await this.get(path);
    return this.post(`${path}/activate`, { versionId: workflow.versionId });
  }

  /** All node types the server knows, as the editor loads them (includes community packages). */
  async nodeTypes() {
    return this.get('/types/nodes.json');
  }

  /** The newest executions (20, or `limit` up to n8n's maximum of 100), optionally of one workflow. */
  async executions(workflowId, limit) {
    const query = [];
    if (workflowId) query.push(`filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
    if (limit) query.push(`limit=${Number(limit)}`);
    return this.get(`/rest/executions${query.length ? `?${query.join('&')}` : ''}`);
  }

  /** One execution with its run data (`data` is n8n's flatted string). */
  async execution(id) {
    return this.get(`/rest/executions/${encodeURIComponent(id)}`);
  }

  /**
   * Runs a credential's test the way the editor's "Test" button does.
   * @param {{ id?: string, name: string, type: string, data: Record<string, unknown> }} credentials
   * @returns {Promise<{ status: 'OK' | 'Error', message: string }>}
   */
  async testCredentials(credentials) {
    return this.post('/rest/credentials/test', { credentials });
  }

  rememberAuthCookie(response) {
    const cookies = typeof response.headers.getSetCookie === 'function' ? response.headers.getSetCookie() : [];
    for (const cookie of cookies) {
      const [pair] = cookie.split(';');
      const separator = pair.indexOf('=');
      if (pair.slice(0, separator).trim() === AUTH_COOKIE) {
        const value = pair.slice(separator + 1).trim();
        this.authToken = value || null; // logout sends an empty cookie
      }
    }
  }
}

/**
 * Creates the instance owner on a fresh n8n (`POST /rest/owner/setup`), then logs in with the same
 * password, and returns a client holding the auth cookie.
 * @param {string} url the server's base URL
 * @param {{ email: string, password: string, firstName: string, lastName: string }} owner
 *   n8n wants a password of 8-64 characters with a digit and an upper-case letter.
 * @returns {Promise<N8nRestClient>}
 */
async function setupOwner(url, owner) {
  for (const field of ['email', 'password', 'firstName', 'lastName']) {
    if (typeof owner[field] !== 'string' || owner[field] === '') {
      throw new Error(`setupOwner: "${field}" must be a non-empty string`);
    }
  }
  const client = new N8nRestClient(url);
  await client.post('/rest/owner/setup', {
    email: owner.email,
    password: owner.password,
    firstName: owner.firstName,
    lastName: owner.lastName,
  });
  await client.login(owner.email, owner.password);
  return client;
}

module.exports = { N8nRestClient, N8nRestError, setupOwner };
