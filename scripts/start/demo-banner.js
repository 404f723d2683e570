'use strict';
// What `npm start` prints once everything runs: where the editor, the phone inbox and the sandbox
// SMSC are, and how to try each example. Returns lines; the caller prints them.

const { curlLines } = require('./example-requests');
const { DEMO_SHORT_CODE } = require('./demo-credentials');

/**
 * @param {{ editorUrl: string, inboxUrl: string | null, smppHost: string, smppPort: number,
 *   account: { systemId: string }, owner: { email: string, password: string }, ownerCreated: boolean,
 *   secretsFile: string, examples: Array<{ id: string, name: string, webhooks: Array<{ method: string, path: string }>, hasSmsTrigger: boolean }>,
 *   activation: Array<{ id: string, error?: string }>, skipped: Array<{ file: string, reason: string }>, redis: boolean }} info
 * @returns {string[]}
 */
function demoBanner(info) {
  const editor = info.editorUrl.replace(/\/+$/, '');
  const failed = new Map(info.activation.filter((a) => a.error).map((a) => [a.id, a.error]));
  const lines = ['', 'SMS gateway demo is running', ''];
  // The password is shown the first time only; later starts say where it is kept.
  const login = info.ownerCreated
    ? `log in as ${info.owner.email} / ${info.owner.password} (kept in ${info.secretsFile})`
    : `log in as ${info.owner.email}; password in ${info.secretsFile}`;
  lines.push(`  n8n editor     ${editor}/   ${login}`);
  if (info.inboxUrl) lines.push(`  Phone inbox    ${info.inboxUrl}   every SMS the workflows send lands here; reply from any phone`);
  lines.push(`  Sandbox SMPP   ${info.smppHost}:${info.smppPort}   system_id "${info.account.systemId}" (credential "SMS Sandbox (SMPP)")`);
  lines.push(
    `  Redis          ${info.redis ? 'answers on 127.0.0.1:6379: credential "Local Redis" added' : 'not running: examples keep their state in memory'}`,
  );
  lines.push('', 'Example workflows');
  for (const example of info.examples) {
    lines.push('', `  ${example.name}`, `    ${editor}/workflow/${example.id}`);
    const error = failed.get(example.id);
    if (error) {
      lines.push(`    NOT ACTIVE: ${error}`);
      continue;
    }
    for (const webhook of example.webhooks) {
      const url = `${editor}/webhook/${webhook.path}`;
      for (const { what, command } of curlLines(url, webhook)) lines.push(`    # ${what}`, `    ${command}`);
    }
    if (example.hasSmsTrigger) {
      lines.push(`    Text HELP, SAFE or STOP to ${DEMO_SHORT_CODE} from the phone inbox ("Text from a phone", or reply on a phone card).`);
    }
  }
  for (const { file, reason } of info.skipped) lines.push('', `  (not imported: ${file}: ${reason})`);
  lines.push('', 'Press Ctrl+C to stop n8n and the sandbox.', '');
  return lines;
}

module.exports = { demoBanner };
