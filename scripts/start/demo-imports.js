'use strict';
// Brings the demo's credentials and example workflows into n8n with its CLI, only when they changed
// since the last import (or vanished from the database), so a second `npm start` imports nothing.
// Imports overwrite by id. A changed workflow that is active is deactivated first, so the server
// never keeps running a trigger that the database no longer marks active.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const MARKER_FILE = 'demo-imports.json';

/** Fingerprint of what would be imported (credential data included, so a new sandbox port re-imports). */
function importFingerprint(credentials, examples) {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify(credentials));
  for (const example of examples) hash.update(JSON.stringify(example.workflow));
  return hash.digest('hex');
}

function readMarker(userFolder) {
  try {
    return JSON.parse(fs.readFileSync(path.join(userFolder, MARKER_FILE), 'utf8'));
  } catch {
    return null;
  }
}

/** @returns {Promise<{ exists: boolean, active: boolean }>} */
async function workflowState(client, id) {
  const { exists } = await client.get(`/rest/workflows/${encodeURIComponent(id)}/exists`);
  if (!exists) return { exists: false, active: false };
  const workflow = await client.get(`/rest/workflows/${encodeURIComponent(id)}`);
  return { exists: true, active: workflow.active === true };
}

async function credentialExists(client, id) {
  try {
    await client.get(`/rest/credentials/${encodeURIComponent(id)}`);
    return true;
  } catch (error) {
    if (error && (error.status === 404 || error.status === 403)) return false;
    throw error;
  }
}

/** Writes a file only the owner can read: the credential file holds passwords in clear. */
function writePrivate(file, value) {
  fs.writeFileSync(file, JSON.stringify(value, null, 2), { mode: 0o600 });
}

/**
 * @param {{ client: import('../n8n/instance').N8nRestClient,
 *   cli: (args: string[]) => Promise<{ ms: number }>, userFolder: string,
 *   credentials: Array<{ id: string }>, examples: Array<{ id: string, name: string, workflow: object }>,
 *   log: (line: string) => void }} options
 * @returns {Promise<{ imported: boolean, reason: string }>}
 */
async function syncImports({ client, cli, userFolder, credentials, examples, log }) {
  const fingerprint = importFingerprint(credentials, examples);
  const marker = readMarker(userFolder);
  const states = new Map();
  for (const example of examples) states.set(example.id, await workflowState(client, example.id));
  const missingWorkflows = examples.filter((example) => !states.get(example.id).exists);
  const missingCredentials = [];
  for (const credential of credentials) {
    if (!(await credentialExists(client, credential.id))) missingCredentials.push(credential.id);
  }
  let reason = '';
  if (!marker || marker.fingerprint !== fingerprint) reason = marker ? 'examples or credentials changed' : 'first start';
  else if (missingWorkflows.length > 0) reason = `workflows missing from n8n: ${missingWorkflows.map((e) => e.id).join(', ')}`;
  else if (missingCredentials.length > 0) reason = `credentials missing from n8n: ${missingCredentials.join(', ')}`;
  if (!reason) return { imported: false, reason: 'examples and credentials unchanged since the last import' };

  for (const example of examples) {
    if (states.get(example.id).active) {
      await client.post(`/rest/workflows/${encodeURIComponent(example.id)}/deactivate`, {});
    }
  }
  const scratch = fs.mkdtempSync(path.join(userFolder, 'import-'));
  try {
    const credentialFile = path.join(scratch, 'credentials.json');
    writePrivate(credentialFile, credentials);
    const credentialRun = await cli(['import:credentials', `--input=${credentialFile}`]);
    log(`imported ${credentials.length} credentials in ${(credentialRun.ms / 1000).toFixed(1)} s`);
    if (examples.length > 0) {
      const workflowFile = path.join(scratch, 'workflows.json');
      writePrivate(
        workflowFile,
        examples.map((example) => example.workflow),
      );
      const workflowRun = await cli(['import:workflow', `--input=${workflowFile}`]);
      log(`imported ${examples.length} example workflows in ${(workflowRun.ms / 1000).toFixed(1)} s`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  fs.writeFileSync(
    path.join(userFolder, MARKER_FILE),
    JSON.stringify(
      { fingerprint, importedAt: new Date().toISOString(), workflows: examples.map((e) => e.id), credentials: credentials.map((c) => c.id) },
      null,
      2,
    ),
  );
  return { imported: true, reason };
}

/**
 * Activates (publishes) the given workflows that are not active yet. A failure is reported, not
 * thrown: the other examples still work.
 * @returns {Promise<Array<{ id: string, name: string, activated: boolean, error?: string }>>}
 */
async function activateWorkflows(client, examples) {
  const results = [];
  for (const example of examples) {
    try {
      const { active } = await workflowState(client, example.id);
      if (!active) await client.activateWorkflow(example.id);
      results.push({ id: example.id, name: example.name, activated: !active });
    } catch (error) {
      results.push({ id: example.id, name: example.name, activated: false, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

module.exports = { syncImports, activateWorkflows, importFingerprint, workflowState };
