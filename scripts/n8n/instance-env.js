'use strict';
// The environment of an n8n process we start: its user folder, ports, execution mode and the
// settings that keep a local instance quiet (no telemetry, no update checks, no template calls).

const crypto = require('node:crypto');
const path = require('node:path');

const MODES = ['regular', 'queue-main', 'worker'];

// n8n 2.40 evaluates expressions in isolated-vm, whose README requires this flag on Node >= 20
// (V8's startup snapshot and isolated-vm's isolates do not mix). It did not stop the SIGSEGV of
// CLI processes at exit seen here; n8n-cli.js avoids that one with the legacy expression engine.
const NODE_FLAGS = ['--no-node-snapshot'];

/** Keys that a parent process (jest, `npm run`) sets and that would change how n8n behaves. */
function inheritedEnv(parentEnv) {
  const env = { ...parentEnv };
  for (const key of Object.keys(env)) {
    if (/^npm_/i.test(key) || key.startsWith('JEST_')) delete env[key];
  }
  // Jest sets NODE_ENV=test, and n8n refuses to load nodes when it sees that ("Not available in tests").
  delete env.NODE_ENV;
  return env;
}

/**
 * @param {{ userFolder: string, port: number, brokerPort: number,
 *           mode: 'regular' | 'queue-main' | 'worker', databaseEnv: Record<string, string>,
 *           env?: Record<string, string | undefined> }} options `env` is applied last and wins
 * @returns {Record<string, string>}
 */
function instanceEnv({ userFolder, port, brokerPort, mode, databaseEnv, env = {} }) {
  if (!MODES.includes(mode)) throw new Error(`mode must be one of ${MODES.join(', ')}, got "${mode}"`);
  for (const [name, value] of Object.entries({ port, brokerPort })) {
    if (!Number.isInteger(value) || value <= 0 || value > 65535) {
      throw new Error(`${name} must be a TCP port number (1-65535), got ${JSON.stringify(value)}`);
    }
  }
  const resolvedFolder = path.resolve(userFolder);
  // main and worker of one instance share the user folder and so the Bull queue prefix; two
  // instances (two test files running at once) never see each other's jobs in the shared Redis.
  const folderHash = crypto.createHash('sha256').update(resolvedFolder).digest('hex').slice(0, 12);
  const queuePrefix = `bull-${folderHash}`;

  const base = {
    NODE_ENV: 'production',
    N8N_USER_FOLDER: resolvedFolder,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_RUNNERS_BROKER_PORT: String(brokerPort),
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_HIRING_BANNER_ENABLED: 'false',
    // Plain http on a local address: a secure-only cookie would not come back from the browser.
    N8N_SECURE_COOKIE: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
    N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
    N8N_LOG_OUTPUT: 'console',
    N8N_LOG_LEVEL: 'info',
    EXECUTIONS_MODE: mode === 'regular' ? 'regular' : 'queue',
  };
  const queue =
    mode === 'regular'
      ? {}
      : {
          QUEUE_BULL_REDIS_HOST: '127.0.0.1',
          QUEUE_BULL_REDIS_PORT: '6379',
          QUEUE_BULL_PREFIX: queuePrefix,
          // n8n's own keys (cache, pub/sub, leader election) default to the prefix "n8n": two
          // instances on one Redis would share a leader and refuse each other's webhooks (409).
          N8N_REDIS_KEY_PREFIX: `n8n-${folderHash}`,
        };
  // A worker serves /healthz on its own port when asked to; `port` is that port for a worker.
  const worker = mode === 'worker' ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' } : {};

  const merged = { ...inheritedEnv(process.env), ...base, ...queue, ...worker, ...databaseEnv };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
    else merged[key] = String(value);
  }
  return merged;
}

module.exports = { instanceEnv, inheritedEnv, MODES, NODE_FLAGS };
