'use strict';
// A curl line to try each example webhook, keyed by the webhook's path. Paths the demo does not
// know (an example added later) get a bare curl line.

/** @type {Record<string, Array<{ what: string, contentType?: string, data?: string, file?: string }>>} */
const SAMPLE_REQUESTS = {
  'emergency-alert': [
    { what: 'plain text alert', contentType: 'text/plain', data: 'Flood warning for the river district: move to higher ground now.' },
    { what: 'CAP 1.2 alert', contentType: 'application/xml', file: 'test/fixtures/cap/flood-extreme.xml' },
  ],
  'login-code': [{ what: 'send a login code', contentType: 'application/json', data: '{"phone": "+447400123456"}' }],
  'login-verify': [{ what: 'check it (code from the phone inbox)', contentType: 'application/json', data: '{"phone": "+447400123456", "code": "123456"}' }],
  notify: [
    {
      what: 'send and wait for the receipt',
      contentType: 'application/json',
      data: '{"to": "+447400123456", "message": "Your parcel arrives today between 2 and 4 pm."}',
    },
  ],
};

/** Quotes a string for a POSIX shell. */
function shellQuote(text) {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * @param {string} webhookUrl the production URL (…/webhook/<path>)
 * @param {{ method: string, path: string }} webhook
 * @returns {Array<{ what: string, command: string }>}
 */
function curlLines(webhookUrl, webhook) {
  const method = webhook.method.toUpperCase();
  const samples = SAMPLE_REQUESTS[webhook.path];
  if (!samples) return [{ what: 'call it', command: `curl -X ${method} ${webhookUrl}` }];
  return samples.map((sample) => {
    const parts = ['curl', '-X', method, webhookUrl];
    if (sample.contentType) parts.push('-H', shellQuote(`Content-Type: ${sample.contentType}`));
    if (sample.data !== undefined) parts.push('--data', shellQuote(sample.data));
    if (sample.file !== undefined) parts.push('--data-binary', `@${sample.file}`);
    return { what: sample.what, command: parts.join(' ') };
  });
}

module.exports = { curlLines, shellQuote, SAMPLE_REQUESTS };
