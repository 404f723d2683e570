'use strict';
// Provisions the real n8n once into a cache folder outside the clone, so every clone, `npm start`
// and CI run reuses it: a Node new enough for n8n, the n8n package, and its database (SQLite,
// built once; PostgreSQL when SQLite cannot be built and a server answers).
//
//   node scripts/n8n/provision.js        provisions (or checks) and prints what it found
//
// Plain CommonJS with Node built-ins only: it runs before our TypeScript is built.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { seconds } = require('./run-command');
const { withProvisionLock } = require('./provision-lock');
const { ensureNodeRuntime } = require('./node-runtime');
const { ensureN8nPackage, N8N_VERSION } = require('./n8n-package');
const { ensureSqliteAddon, earlierSqliteFailure } = require('./sqlite-addon');
const { postgresConnection, postgresIsListening } = require('./postgres');

/** `SMS_GATEWAY_N8N_CACHE`, else ~/.cache/n8n-nodes-sms-gateway/n8n-<version>. */
function defaultCacheDir(env = process.env) {
  if (env.SMS_GATEWAY_N8N_CACHE) return path.resolve(env.SMS_GATEWAY_N8N_CACHE);
  const cacheHome = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'n8n-nodes-sms-gateway', `n8n-${N8N_VERSION}`);
}

function defaultLog(line) {
  process.stderr.write(`[n8n provision] ${line}\n`);
}

/** Times one step and prints how long it took when it did real work. */
async function step(log, name, work) {
  const started = Date.now();
  const result = await work();
  const ms = Date.now() - started;
  if (ms > 1000) log(`${name}: done in ${seconds(ms)}`);
  return result;
}

/**
 * Chooses the database: `SMS_GATEWAY_N8N_DB=sqlite|postgres` forces one; otherwise SQLite when its
 * addon builds, else PostgreSQL when a server answers on the configured host and port.
 */
async function chooseDatabase({ cacheDir, n8nPackageDir, node, log }) {
  const forced = process.env.SMS_GATEWAY_N8N_DB;
  if (forced && forced !== 'sqlite' && forced !== 'postgres') {
    throw new Error(`SMS_GATEWAY_N8N_DB must be "sqlite" or "postgres", got "${forced}"`);
  }
  const connection = postgresConnection();
  const postgresUp = () => postgresIsListening(connection);
  if (forced === 'postgres') {
    if (!(await postgresUp())) {
      throw new Error(`SMS_GATEWAY_N8N_DB=postgres but nothing answers on ${connection.host}:${connection.port}`);
    }
    return 'postgres';
  }

  const earlier = earlierSqliteFailure(cacheDir, node);
  if (earlier && forced !== 'sqlite' && !process.env.SMS_GATEWAY_N8N_RETRY_SQLITE && (await postgresUp())) {
    log('sqlite3 failed to build earlier for this Node; using PostgreSQL (set SMS_GATEWAY_N8N_RETRY_SQLITE=1 to retry)');
    return 'postgres';
  }
  const sqlite = await step(log, 'sqlite3 addon', () => ensureSqliteAddon({ cacheDir, n8nPackageDir, node, log }));
  if (sqlite.ok) return 'sqlite';
  if (forced !== 'sqlite' && (await postgresUp())) {
    log(`sqlite3 could not be built, so n8n will use PostgreSQL on ${connection.host}:${connection.port}`);
    return 'postgres';
  }
  throw new Error(
    'n8n has no database: the sqlite3 addon could not be built (needs python3, make and a C++ compiler) ' +
      `and no PostgreSQL answers on ${connection.host}:${connection.port}.\n${sqlite.reason}`,
  );
}

/**
 * @param {{ log?: (line: string) => void, cacheDir?: string }} [options]
 * @returns {Promise<{ nodeBin: string, n8nBin: string, cacheDir: string, dbMode: 'sqlite' | 'postgres',
 *                     n8nPackageDir: string, nodeVersion: string, n8nVersion: string }>}
 */
async function ensureN8n(options = {}) {
  const log = options.log || defaultLog;
  const cacheDir = options.cacheDir || defaultCacheDir();
  fs.mkdirSync(cacheDir, { recursive: true });
  const started = Date.now();

  const result = await withProvisionLock(
    path.join(cacheDir, 'provision.lock'),
    async () => {
      const node = await step(log, 'Node runtime', () => ensureNodeRuntime({ cacheDir, log }));
      const n8n = await step(log, `n8n@${N8N_VERSION} package`, () => ensureN8nPackage({ cacheDir, log }));
      const dbMode = await chooseDatabase({ cacheDir, n8nPackageDir: n8n.packageDir, node, log });
      return {
        nodeBin: node.nodeBin,
        n8nBin: n8n.n8nBin,
        cacheDir,
        dbMode,
        n8nPackageDir: n8n.packageDir,
        nodeVersion: node.version,
        n8nVersion: N8N_VERSION,
      };
    },
    { log },
  );
  const ms = Date.now() - started;
  if (ms > 1000) log(`n8n ${N8N_VERSION} ready (Node ${result.nodeVersion}, ${result.dbMode}) in ${seconds(ms)}`);
  return result;
}

module.exports = { ensureN8n, defaultCacheDir };

if (require.main === module) {
  ensureN8n().then(
    (result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`),
    (error) => {
      process.stderr.write(`[n8n provision] failed: ${error.message}\n`);
      process.exitCode = 1;
    },
  );
}
