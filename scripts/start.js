'use strict';
// `npm start`: the SMS gateway demo on this machine. Installs what is missing, builds the package,
// provisions n8n (once, into a cache outside the clone), starts the sandbox SMSC with its phone
// inbox and n8n with this package linked, imports the example workflows and prints where to look.
// Ctrl+C, SIGTERM or SIGHUP stop everything, during the start too (scripts/start/shutdown.js);
// a taken port is refused before anything starts (scripts/start/port-check.js). Plain Node: it
// runs on a fresh clone before anything is installed.
//
// Environment: N8N_PORT (default 5678), SANDBOX_SMPP_PORT (2775), SANDBOX_HTTP_PORT (8025),
// SANDBOX_HOST, SANDBOX_SYSTEM_ID, SANDBOX_PASSWORD, SANDBOX_LATENCY_MS, SMS_GATEWAY_DEMO_FOLDER
// (default .n8n-demo in the clone).

const path = require('node:path');
const { ensureDeps, root } = require('./ensure-deps');
const { buildIfStale } = require('./start/build-freshness');
const { assertPortsFree } = require('./n8n/port-check');
const { DemoShutdown } = require('./start/shutdown');

const DEFAULT_N8N_PORT = 5678;
// The sandbox's defaults (src/sandbox/command-line.ts), checked before anything is built or started.
const DEFAULT_SANDBOX_SMPP_PORT = 2775;
const DEFAULT_SANDBOX_HTTP_PORT = 8025;

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

// First of all: a signal (or npm going away) from now on stops whatever has started.
const shutdown = new DemoShutdown({ say }).arm();

async function main() {
  const started = Date.now();
  const n8nPort = portFromEnv('N8N_PORT', DEFAULT_N8N_PORT);
  await assertPortsFree([
    { port: n8nPort, envVar: 'N8N_PORT', what: "n8n's editor" },
    { port: portFromEnv('SANDBOX_SMPP_PORT', DEFAULT_SANDBOX_SMPP_PORT), envVar: 'SANDBOX_SMPP_PORT', what: "the sandbox's SMPP port" },
    { port: portFromEnv('SANDBOX_HTTP_PORT', DEFAULT_SANDBOX_HTTP_PORT), envVar: 'SANDBOX_HTTP_PORT', what: "the sandbox's phone inbox" },
  ]);
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
    onN8nSpawn: (pid) => {
      shutdown.n8nPid = pid;
    },
  });
  if (!shutdown.requested) {
    for (const line of demo.banner()) process.stdout.write(`${line}\n`);
    say(`started in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  shutdown.started(demo);
}

main().catch((error) => {
  const code = error && error.code;
  const hint = code === 'EADDRINUSE' ? ' (a port is taken: set N8N_PORT, SANDBOX_SMPP_PORT or SANDBOX_HTTP_PORT to free ones)' : '';
  if (shutdown.requested) {
    // A stop asked for while starting ends the start with an error: that is the stop, not a failure.
    say(`stopped while starting (${shutdown.requested})`);
    process.exit(0);
  }
  process.stderr.write(`[demo] failed: ${error && error.message ? error.message : String(error)}${hint}\n`);
  process.exit(1);
});
