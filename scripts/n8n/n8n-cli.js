'use strict';
// Runs n8n's command line (import:workflow, import:credentials, publish:workflow, execute, ...)
// against the same user folder and database as a running instance. Each call starts a full n8n
// process (about 4-5 s) and works while the server runs.

const { spawn } = require('node:child_process');
const { ensureN8n } = require('./provision');
const { inheritedEnv, NODE_FLAGS } = require('./instance-env');
const { freePort } = require('./free-port');

/**
 * @param {string[]} args e.g. ['import:workflow', '--input=/tmp/wf.json']
 * @param {Record<string, string>} env the instance's env (`instance.env`), or at least N8N_USER_FOLDER
 *   and the database settings
 * @param {{ provisioned?: { nodeBin: string, n8nBin: string }, timeoutMs?: number, logLevel?: string,
 *           expressionEngine?: 'legacy' | 'vm' }} [options]
 *   `logLevel` defaults to info: at debug n8n prefixes every printed line, which breaks --rawOutput JSON.
 *   `expressionEngine` defaults to legacy: with n8n's default isolated-vm engine ("vm") a CLI
 *   process died of SIGSEGV while exiting, after its work was done, in 5 of 32 runs here (0 of 16
 *   with legacy); the server keeps n8n's default.
 * @returns {Promise<{ stdout: string, stderr: string, ms: number }>} rejects when the exit code is not 0
 */
async function n8nCli(args, env, options = {}) {
  if (!env || !env.N8N_USER_FOLDER) {
    throw new Error("n8nCli: env.N8N_USER_FOLDER is required (pass the running instance's env)");
  }
  const provisioned = options.provisioned || (await ensureN8n({ log: () => {} }));
  const childEnv = {
    ...inheritedEnv(process.env),
    ...env,
    // The CLI process starts its own task broker; it must not collide with the server's.
    N8N_RUNNERS_BROKER_PORT: String(await freePort()),
    N8N_LOG_LEVEL: options.logLevel || 'info',
    N8N_EXPRESSION_ENGINE: options.expressionEngine || 'legacy',
  };
  delete childEnv.QUEUE_HEALTH_CHECK_ACTIVE;
  const timeoutMs = options.timeoutMs || 120000;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(provisioned.nodeBin, [...NODE_FLAGS, provisioned.n8nBin, ...args], {
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run n8n ${args.join(' ')}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = {
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        ms: Date.now() - started,
      };
      if (code === 0) {
        resolve(result);
        return;
      }
      let how = `exited with code ${code}`;
      if (timedOut) how = `was killed after the ${timeoutMs} ms timeout`;
      else if (signal) how = `died of ${signal}`;
      const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-40).join('\n');
      reject(Object.assign(new Error(`n8n ${args.join(' ')} ${how}; last output:\n${output}`), result));
    });
  });
}

/**
 * The JSON document that `n8n execute --rawOutput` prints, picked out of the log lines around it:
 * the longest text from a line "{" to a line "}" that parses.
 * @param {string} stdout
 * @returns {any} the run (`{ data: { resultData: { runData, error? } }, status, ... }`)
 */
function parseExecuteOutput(stdout) {
  // Colour codes appear when the output went through a colouring logger.
  // eslint-disable-next-line no-control-regex -- ESC starts the colour codes removed here
  const lines = stdout.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  const starts = [];
  const ends = [];
  lines.forEach((line, index) => {
    if (line === '{') starts.push(index);
    if (line === '}') ends.push(index);
  });
  for (const start of starts) {
    for (const end of [...ends].reverse()) {
      if (end <= start) break;
      try {
        return JSON.parse(lines.slice(start, end + 1).join('\n'));
      } catch {
        // not a whole document; try a shorter span
      }
    }
  }
  throw new Error(`no JSON document in the n8n execute output:\n${stdout.slice(-2000)}`);
}

module.exports = { n8nCli, parseExecuteOutput };
