'use strict';
// Runs a child process to completion, keeping only the tail of its output so a 2.8 GB npm install
// or a node-gyp build does not fill memory, and so a failure can show what went wrong.

const { spawn } = require('node:child_process');

const DEFAULT_TAIL_BYTES = 16 * 1024;

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, tailBytes?: number,
 *           onLine?: (line: string) => void }} [options]
 * @returns {Promise<{ code: number, output: string, ms: number }>} resolves on exit code 0 only
 */
function runCommand(command, args, options = {}) {
  const tailBytes = options.tailBytes || DEFAULT_TAIL_BYTES;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env || process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // npm is a .cmd file on Windows and needs a shell there.
      shell: process.platform === 'win32',
    });
    let tail = '';
    let pendingLine = '';
    const collect = (chunk) => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-tailBytes);
      if (options.onLine) {
        const lines = (pendingLine + text).split('\n');
        pendingLine = lines.pop() || '';
        for (const line of lines) options.onLine(line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);

    let timer;
    if (options.timeoutMs) {
      timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    }
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`could not start "${command}": ${error.message}`));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const ms = Date.now() - started;
      if (code === 0) {
        resolve({ code, output: tail, ms });
        return;
      }
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const error = new Error(`"${command} ${args.join(' ')}" ${how} after ${(ms / 1000).toFixed(1)} s; last output:\n${tail}`);
      // Keep the pieces for callers that want to report them separately.
      Object.assign(error, { code, signal, output: tail });
      reject(error);
    });
  });
}

/** Seconds with one decimal, for progress lines. */
function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The environment for npm runs outside the project: drop what `npm run` exports for the project. */
function npmEnvOutsideProject(baseEnv) {
  const env = { ...baseEnv };
  for (const key of Object.keys(env)) {
    // `npm start` exports the project's prefix and package fields; an npm spawned in the cache
    // folder must not inherit them or it may install into the project.
    if (/^npm_(config_(local_)?prefix|package_|lifecycle_)/i.test(key)) delete env[key];
  }
  return env;
}

const npmCommand = 'npm';

module.exports = { runCommand, seconds, npmEnvOutsideProject, npmCommand };
