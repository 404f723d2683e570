'use strict';
// `npm start`: the SMS gateway demo on this machine. Installs what is missing, builds the package,
// provisions n8n (once, into a cache outside the clone), starts the sandbox SMSC with its phone
// inbox and n8n with this package linked, imports the example workflows and prints where to look.
// Ctrl+C stops everything. Plain Node: it runs on a fresh clone before anything is installed.
//
// Environment: N8N_PORT (default 5678), SANDBOX_SMPP_PORT (2775), SANDBOX_HTTP_PORT (8025),
// SANDBOX_HOST, SANDBOX_SYSTEM_ID, SANDBOX_PASSWORD, SANDBOX_LATENCY_MS, SMS_GATEWAY_DEMO_FOLDER
// (default .n8n-demo in the clone).

const path = require('node:path');
const { ensureDeps, root } = require('./ensure-deps');
const { buildIfStale } = require('./start/build-freshness');

const DEFAULT_N8N_PORT = 5678;

function say(line) {
  process.stdout.write(`[demo] ${line}\n`);
}

function portFromEnv(name, fallback) {
  const raw = (process.env[name] || '').trim();
  if (raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
    throw new Error(`${name} must be a TCP port from 1 to 65535, got "${raw}"`);
  }
  return Number(raw);
}

async function main() {
  const started = Date.now();
  const n8nPort = portFromEnv('N8N_PORT', DEFAULT_N8N_PORT);
  ensureDeps();
  buildIfStale(root, say);
  // Loaded after the install and the build: these need node_modules and dist/.
  const { ensureN8n } = require('./n8n/instance');
  const { sandboxOptionsFromEnv } = require(path.join(root, 'dist', 'src', 'sandbox', 'cli.js'));
  const { startDemo } = require('./start/demo');

  const provisioned = await ensureN8n({ log: (line) => say(`n8n: ${line}`) });
  say(`n8n ${provisioned.n8nVersion} on Node ${provisioned.nodeVersion} (${provisioned.dbMode})`);
  const demo = await startDemo({
    root,
    userFolder: path.resolve(process.env.SMS_GATEWAY_DEMO_FOLDER || path.join(root, '.n8n-demo')),
    n8nPort,
    sandbox: sandboxOptionsFromEnv(process.env),
    provisioned,
    log: say,
  });
  for (const line of demo.banner()) process.stdout.write(`${line}\n`);
  say(`started in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // n8n runs in its own process group, so Ctrl+C reaches only us: stop it, then the sandbox.
  let stopping = false;
  const onSignal = (signal) => {
    if (stopping) {
      say(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    say(`${signal}: stopping n8n and the sandbox ...`);
    demo.stop().then(
      (result) => {
        say(result && result.forced ? 'n8n did not stop in time and was killed; sandbox stopped' : 'stopped');
        process.exit(0);
      },
      (error) => {
        say(`could not stop cleanly: ${error.message}`);
        process.exit(1);
      },
    );
  };
  // SIGHUP: the terminal was closed; n8n, in its own process group, would not hear of it.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => onSignal(signal));
  // If this process dies some other way, do not leave n8n running without its sandbox.
  process.on('exit', () => {
    if (!stopping) {
      try {
        process.kill(-demo.n8n.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

main().catch((error) => {
  const code = error && error.code;
  const hint = code === 'EADDRINUSE' ? ' (a port is taken: set N8N_PORT, SANDBOX_SMPP_PORT or SANDBOX_HTTP_PORT to free ones)' : '';
  process.stderr.write(`[demo] failed: ${error && error.message ? error.message : String(error)}${hint}\n`);
  process.exit(1);
});
