'use strict';
// Calls a production webhook of a workflow that was just published. n8n 2.40 publishes through an
// outbox that a background consumer applies, so the webhook goes live a moment after the publish
// request returned. Until then n8n answers 404 without starting anything, which makes a retry
// safe: "not registered" (regular mode), or in queue mode "Published version not found" (the
// webhook row is visible before the published version is recorded).

const RETRY_MS = 200;

/**
 * @param {string} baseUrl the n8n main's URL
 * @param {string} webhookPath the Webhook node's path (without /webhook/)
 * @param {RequestInit} [init] fetch options (method, headers, body)
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<{ status: number, body: string }>} the first answer that is not "not registered"
 */
async function callWebhookWhenLive(baseUrl, webhookPath, init = {}, options = {}) {
  const timeoutMs = options.timeoutMs || 30000;
  const url = `${baseUrl.replace(/\/+$/, '')}/webhook/${webhookPath.replace(/^\/+/, '')}`;
  const started = Date.now();
  for (;;) {
    const response = await fetch(url, init);
    const body = await response.text();
    const notYetLive = response.status === 404 && (body.includes('not registered') || body.includes('Published version not found'));
    if (!notYetLive) return { status: response.status, body };
    if (Date.now() - started > timeoutMs) {
      throw new Error(`webhook ${url} was still not registered after ${Math.round(timeoutMs / 1000)} s: ${body}`);
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

module.exports = { callWebhookWhenLive };
