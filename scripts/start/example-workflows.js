'use strict';
// Reads the example workflows (examples/*.json, n8n's export format) and what the demo needs to
// know about each: its fixed id, its production webhooks, and whether it should be activated.

const fs = require('node:fs');
const path = require('node:path');

const WEBHOOK_TYPE = 'n8n-nodes-base.webhook';
const SMS_TRIGGER_TYPE = 'n8n-nodes-sms-gateway.smsTrigger';

/**
 * @typedef {{ node: string, method: string, path: string }} ExampleWebhook
 * @typedef {{ file: string, id: string, name: string, workflow: Record<string, any>,
 *   webhooks: ExampleWebhook[], hasSmsTrigger: boolean, credentialIds: string[] }} ExampleWorkflow
 */

/** @returns {ExampleWorkflow} */
function describeWorkflow(file, workflow) {
  const where = path.basename(file);
  if (typeof workflow.id !== 'string' || !/^[A-Za-z0-9]{1,36}$/.test(workflow.id)) {
    throw new Error(`${where}: "id" must be a fixed alphanumeric workflow id (imports overwrite by id), got ${JSON.stringify(workflow.id)}`);
  }
  if (typeof workflow.name !== 'string' || workflow.name.trim() === '') throw new Error(`${where}: "name" is empty`);
  if (!Array.isArray(workflow.nodes) || workflow.nodes.length === 0) throw new Error(`${where}: "nodes" must be a non-empty array`);
  const live = workflow.nodes.filter((node) => node.disabled !== true);
  const webhooks = live
    .filter((node) => node.type === WEBHOOK_TYPE)
    .map((node) => ({ node: node.name, method: String(node.parameters?.httpMethod || 'GET'), path: String(node.parameters?.path || '') }));
  for (const hook of webhooks) {
    if (hook.path === '' || hook.path.startsWith('=')) throw new Error(`${where}: webhook node "${hook.node}" needs a fixed path`);
  }
  const credentialIds = new Set();
  for (const node of workflow.nodes) {
    for (const reference of Object.values(node.credentials || {})) {
      if (reference && typeof reference.id === 'string') credentialIds.add(reference.id);
    }
  }
  return {
    file,
    id: workflow.id,
    name: workflow.name,
    workflow,
    webhooks,
    hasSmsTrigger: live.some((node) => node.type === SMS_TRIGGER_TYPE),
    credentialIds: [...credentialIds].sort(),
  };
}

/**
 * The example workflows in `examplesDir`, sorted by name. A file without a fixed id is
 * skipped (n8n would give it a new id, and every start would add another copy); broken files and
 * two files with one id are errors.
 * @param {string} examplesDir
 * @returns {{ examples: ExampleWorkflow[], skipped: Array<{ file: string, reason: string }> }}
 */
function loadExampleWorkflows(examplesDir) {
  const files = fs.existsSync(examplesDir)
    ? fs
        .readdirSync(examplesDir)
        .filter((name) => name.endsWith('.json'))
        .sort()
    : [];
  const examples = [];
  const skipped = [];
  for (const name of files) {
    const file = path.join(examplesDir, name);
    let workflow;
    try {
      workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${name} is not valid JSON: ${error.message}`);
    }
    if (workflow && typeof workflow === 'object' && workflow.id === undefined) {
      skipped.push({ file, reason: 'it has no fixed "id", so each import would add another copy' });
      continue;
    }
    examples.push(describeWorkflow(file, workflow));
  }
  const seen = new Map();
  for (const example of examples) {
    const other = seen.get(example.id);
    if (other) throw new Error(`${path.basename(example.file)} and ${path.basename(other)} share the workflow id "${example.id}"`);
    seen.set(example.id, example.file);
  }
  // By name: the examples are named "SMS demo 1: ...", "SMS demo 2: ...".
  examples.sort((a, b) => a.name.localeCompare(b.name));
  return { examples, skipped };
}

/** Webhook and SMS Trigger workflows run only when active; manual ones stay inactive. */
function needsActivation(example) {
  return example.webhooks.length > 0 || example.hasSmsTrigger;
}

module.exports = { loadExampleWorkflows, describeWorkflow, needsActivation, WEBHOOK_TYPE, SMS_TRIGGER_TYPE };
