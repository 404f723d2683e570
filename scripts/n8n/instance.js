'use strict';
// Starts a real n8n process with our package linked into its user folder, waits until it is ready
// and stops it cleanly. Also re-exports the REST client and the CLI runner, so tests and
// `npm start` need one module.

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ensureN8n } = require('./provision');
const { prepareUserFolder } = require('./user-folder');
const { databaseEnvFor, dropInstanceDatabase } = require('./instance-database');
const { instanceEnv, NODE_FLAGS } = require('./instance-env');
const { freePort } = require('./free-port');
const { describeHolder, isTaken } = require('./port-check');
const { n8nCli, parseExecuteOutput } = require('./n8n-cli');
const { N8nRestClient, N8nRestError, setupOwner } = require('./rest-client');
const { callWebhookWhenLive } = require('./webhook');

const READY_POLL_MS = 250;

/** The last `count` lines of a log file (reads at most its last 64 KB). */
function lastLogLines(logFile, count = 40) {
  try {
    const size = fs.statSync(logFile).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    const fd = fs.openSync(logFile, 'r');
    try {
      fs.readSync(fd, buffer, 0, length, size - length);
    } finally {
      fs.closeSync(fd);
    }
    return buffer.toString('utf8').trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '(no log yet)';
  }
}

async function answersReady(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Sends `signal` to the child's process group (n8n starts its task runner as a child). */
function signalGroup(child, signal) {
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * @param {{ userFolder: string, port?: number, brokerPort?: number, packageDir?: string,
 *           env?: Record<string, string | undefined>, mode?: 'regular' | 'queue-main' | 'worker',
 *           logFile?: string, concurrency?: number, readyTimeoutMs?: number, dbMode?: 'sqlite' | 'postgres',
 *           provisioned?: Awaited<ReturnType<typeof ensureN8n>>, log?: (line: string) => void,
 *           onSpawn?: (pid: number) => void, nodeFlags?: string[] }} options
 *   `nodeFlags`: more flags for n8n's Node (V8 flags such as --trace-gc, which NODE_OPTIONS refuses).
 *   `onSpawn` gets n8n's process id (its process group) as soon as it runs, before it is ready.
 *   `port` is the editor/REST port, or for a worker its health-check port; a free one when omitted.
 * @returns {Promise<{ url: string, port: number, logFile: string, env: Record<string, string>,
 *   pid: number, mode: string, dbMode: 'sqlite' | 'postgres', database: string | null, stop: (timeoutMs?: number) => Promise<{ code: number | null,
 *   signal: string | null, forced: boolean }>, cli: (args: string[]) => ReturnType<typeof n8nCli> }>}
 */
async function startN8n(options) {
  if (!options || typeof options.userFolder !== 'string' || options.userFolder === '') {
    throw new Error('startN8n: userFolder must be a non-empty path');
  }
  const mode = options.mode || 'regular';
  const log = options.log || (() => {});
  const provisioned = options.provisioned || (await ensureN8n({ log }));
  const userFolder = path.resolve(options.userFolder);
  const port = options.port || (await freePort());
  const brokerPort = options.brokerPort || (await freePort());
  const logFile = path.resolve(options.logFile || path.join(userFolder, `n8n-${mode}.log`));

  // The readiness check asks the port: another n8n already there would answer it while ours fails.
  if (await isTaken(port)) {
    throw new Error(`port ${port} is taken by ${await describeHolder(port)}: n8n cannot start there`);
  }
  prepareUserFolder({ userFolder, packageDir: options.packageDir });
  const {
    env: databaseEnv,
    dbMode,
    database,
  } = await databaseEnvFor({
    provisioned,
    userFolder,
    mode,
    dbMode: options.dbMode,
  });
  const env = instanceEnv({ userFolder, port, brokerPort, mode, databaseEnv, env: options.env });

  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const logFd = fs.openSync(logFile, 'a');
  const args = mode === 'worker' ? ['worker', `--concurrency=${options.concurrency || 5}`] : ['start'];
  const child = spawn(provisioned.nodeBin, [...NODE_FLAGS, ...(options.nodeFlags || []), provisioned.n8nBin, ...args], {
    cwd: userFolder,
    env,
    stdio: ['ignore', logFd, logFd],
    // Its own process group, so stop() reaches the task runner children too.
    detached: process.platform !== 'win32',
  });
  fs.closeSync(logFd);
  if (child.pid !== undefined && options.onSpawn) options.onSpawn(child.pid);

  /** @type {{ code: number | null, signal: string | null } | null} */
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  /** @type {Error | null} */
  let spawnFailure = null;
  child.once('error', (error) => {
    spawnFailure = error;
  });

  const host = '127.0.0.1';
  const url = `http://${host}:${port}`;
  const readinessUrl = `${url}/healthz/readiness`;
  const readyTimeoutMs = options.readyTimeoutMs || 180000;
  const started = Date.now();
  log(`starting n8n ${mode} on ${url} with ${dbMode}${database ? ` database ${database}` : ''} (log ${logFile})`);

  const stop = async (timeoutMs = 20000) => {
    if (exited) return { ...exited, forced: false };
    signalGroup(child, 'SIGTERM');
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const first = await Promise.race([exitPromise, timedOut]);
    clearTimeout(timer);
    if (first !== 'timeout') return { ...first, forced: false };
    signalGroup(child, 'SIGKILL');
    const result = await exitPromise;
    return { ...result, forced: true };
  };

  for (;;) {
    if (spawnFailure) throw new Error(`could not start n8n: ${spawnFailure.message}`);
    if (exited) {
      throw new Error(
        `n8n (${mode}) exited with code ${exited.code}${exited.signal ? ` (${exited.signal})` : ''} before it ` +
          `was ready; last lines of ${logFile}:\n${lastLogLines(logFile)}`,
      );
    }
    if (await answersReady(readinessUrl)) break;
    if (Date.now() - started > readyTimeoutMs) {
      await stop();
      throw new Error(
        `n8n (${mode}) was not ready at ${readinessUrl} after ${Math.round(readyTimeoutMs / 1000)} s; ` + `last lines of ${logFile}:\n${lastLogLines(logFile)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  log(`n8n ${mode} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  return {
    url,
    port,
    logFile,
    env,
    pid: child.pid,
    mode,
    dbMode,
    database,
    stop,
    cli: (cliArgs) => n8nCli(cliArgs, env, { provisioned }),
  };
}

module.exports = {
  startN8n,
  setupOwner,
  N8nRestClient,
  N8nRestError,
  n8nCli,
  parseExecuteOutput,
  callWebhookWhenLive,
  dropInstanceDatabase,
  lastLogLines,
  freePort,
  ensureN8n,
};
