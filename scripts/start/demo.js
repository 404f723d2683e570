'use strict';
// The whole demo, started the way `npm start` does and stoppable as one thing: the sandbox SMSC
// with its phone inbox (in this process), n8n with this package linked, the demo owner, the
// credentials and example workflows (imported when they changed), and the webhook and trigger
// workflows activated. Tests call startDemo() with free ports and a temporary user folder.

const path = require('node:path');
const { startN8n } = require('../n8n/instance');
const { ping: redisAnswers } = require('../ensure-redis');
const { loadOrCreateSecrets } = require('./demo-secrets');
const { demoCredentials } = require('./demo-credentials');
const { loadExampleWorkflows, needsActivation } = require('./example-workflows');
const { ensureDemoOwner } = require('./demo-owner');
const { syncImports, activateWorkflows } = require('./demo-imports');
const { demoBanner } = require('./demo-banner');

const DEFAULT_ACCOUNT = { systemId: 'sandbox', password: 'sandbox' };

/** Shown instead of a wildcard listen address. */
function shownHost(host) {
  return !host || host === '0.0.0.0' || host === '::' || host === '127.0.0.1' ? 'localhost' : host;
}

/**
 * @param {{ root: string, userFolder: string, n8nPort?: number,
 *   sandbox?: { smppPort?: number, httpPort?: number | null, host?: string, accounts?: Array<{ systemId: string, password: string }> },
 *   provisioned?: object, examplesDir?: string, env?: Record<string, string | undefined>,
 *   useRedis?: boolean, log?: (line: string) => void, onN8nSpawn?: (pid: number) => void }} options
 *   `onN8nSpawn` gets n8n's process id as soon as it runs (to stop it if the start is interrupted).
 */
async function startDemo(options) {
  const log = options.log || (() => {});
  const root = path.resolve(options.root);
  const userFolder = path.resolve(options.userFolder);
  const sandboxOptions = options.sandbox || {};
  const account = (sandboxOptions.accounts && sandboxOptions.accounts[0]) || DEFAULT_ACCOUNT;
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

  // Built code: `npm start` builds first, the e2e global setup does too.
  const { startSandboxServices } = require(path.join(root, 'dist', 'src', 'sandbox', 'cli.js'));
  const sandbox = await startSandboxServices({ ...sandboxOptions, accounts: [account] });
  log(`sandbox SMSC on port ${sandbox.smppPort}${sandbox.http ? `, phone inbox on port ${sandbox.http.port}` : ''}`);

  /** @type {import('../n8n/instance').N8nInstance | null} */
  let n8n = null;
  let stopping = null;
  const stop = () => {
    stopping ??= (async () => {
      const n8nStopped = n8n ? await n8n.stop() : null;
      await sandbox.stop();
      return n8nStopped;
    })();
    return stopping;
  };

  try {
    const { secrets, file: secretsFile } = loadOrCreateSecrets(userFolder);
    const redis = options.useRedis !== false && (await redisAnswers()) ? { host: '127.0.0.1', port: 6379 } : null;
    const credentials = demoCredentials({ smppPort: sandbox.smppPort, account, otpServerKey: secrets.otpServerKey, redis });
    const { examples, skipped } = loadExampleWorkflows(options.examplesDir || path.join(root, 'examples'));

    n8n = await startN8n({
      userFolder,
      packageDir: root,
      port: options.n8nPort,
      provisioned: options.provisioned,
      env: options.env,
      log,
      onSpawn: options.onN8nSpawn,
    });
    log(`n8n ready at ${elapsed()}`);
    const { client, created: ownerCreated } = await ensureDemoOwner(n8n.url, secrets.owner);
    const running = n8n;
    const imports = await syncImports({ client, cli: (args) => running.cli(args), userFolder, credentials, examples, log });
    log(imports.imported ? `imported credentials and examples (${imports.reason})` : `no import needed (${imports.reason})`);
    const knownCredentials = new Set(credentials.map((credential) => credential.id));
    const activatable = examples.filter(needsActivation);
    const activation = await activateWorkflows(
      client,
      activatable.filter((example) => example.credentialIds.every((id) => knownCredentials.has(id))),
    );
    for (const example of activatable) {
      const missing = example.credentialIds.filter((id) => !knownCredentials.has(id));
      if (missing.length > 0) {
        activation.push({
          id: example.id,
          name: example.name,
          activated: false,
          error: `uses credentials the demo does not have (${missing.join(', ')}); set them up in the editor`,
        });
      }
    }
    log(`demo ready at ${elapsed()}`);

    const editorUrl = `http://${shownHost('127.0.0.1')}:${n8n.port}`;
    const inboxUrl = sandbox.http ? `http://${shownHost(sandboxOptions.host)}:${sandbox.http.port}/` : null;
    const banner = () =>
      demoBanner({
        editorUrl,
        inboxUrl,
        smppHost: shownHost(sandboxOptions.host),
        smppPort: sandbox.smppPort,
        account,
        owner: secrets.owner,
        ownerCreated,
        secretsFile: path.relative(process.cwd(), secretsFile) || secretsFile,
        examples,
        activation,
        skipped: skipped.map((s) => ({ file: path.relative(root, s.file), reason: s.reason })),
        redis: redis !== null,
      });
    return { n8n, sandbox, client, owner: secrets.owner, ownerCreated, credentials, examples, skipped, imports, activation, editorUrl, inboxUrl, banner, stop };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}

module.exports = { startDemo };
