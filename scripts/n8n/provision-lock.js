'use strict';
// A lock file so two processes (two test runs, `npm start` during a CI job) never provision the
// same cache folder at once. The file holds the owner's pid and host; a lock whose owner is gone
// (crash, Ctrl-C, killed container) is taken over instead of blocking forever.

const fs = require('node:fs');
const os = require('node:os');

const POLL_MS = 1000;
const REPORT_EVERY_MS = 30 * 1000;
// A lock written by another host cannot be checked with a pid; after this long it is stale.
const FOREIGN_LOCK_STALE_MS = 3 * 60 * 60 * 1000;

function readOwner(lockPath) {
  try {
    return JSON.parse(fs.readFileSync(lockPath, 'utf8'));
  } catch {
    return null; // missing, or half-written by an owner that is creating it right now
  }
}

function processIsAlive(pid) {
  try {
    process.kill(pid, 0);
    // A killed owner whose parent has not reaped it yet still answers signals: a zombie.
    if (process.platform === 'linux') {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    }
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

function ownerIsGone(owner) {
  if (!owner || typeof owner.pid !== 'number') return false;
  if (owner.host === os.hostname()) return !processIsAlive(owner.pid);
  return Date.now() - Number(owner.startedAt || 0) > FOREIGN_LOCK_STALE_MS;
}

function tryCreate(lockPath, mine) {
  try {
    fs.writeFileSync(lockPath, JSON.stringify(mine), { flag: 'wx' });
    return true;
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Runs `work` while holding the lock file at `lockPath`.
 * @template T
 * @param {string} lockPath
 * @param {() => Promise<T>} work
 * @param {{ log: (line: string) => void, timeoutMs?: number }} options
 * @returns {Promise<T>}
 */
async function withProvisionLock(lockPath, work, options) {
  const mine = { pid: process.pid, host: os.hostname(), startedAt: Date.now() };
  const waitStarted = Date.now();
  let lastReport = 0;
  const timeoutMs = options.timeoutMs || 60 * 60 * 1000;
  while (!tryCreate(lockPath, mine)) {
    const owner = readOwner(lockPath);
    if (ownerIsGone(owner)) {
      options.log(`taking over a stale provisioning lock from pid ${owner.pid} (${lockPath})`);
      fs.rmSync(lockPath, { force: true });
      continue;
    }
    const waited = Date.now() - waitStarted;
    if (waited > timeoutMs) {
      throw new Error(`gave up waiting for the provisioning lock ${lockPath} after ${Math.round(waited / 1000)} s`);
    }
    if (Date.now() - lastReport >= REPORT_EVERY_MS) {
      lastReport = Date.now();
      const who = owner ? `pid ${owner.pid} on ${owner.host}` : 'another process';
      options.log(`waiting for ${who} to finish provisioning (lock ${lockPath})`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await work();
  } finally {
    const owner = readOwner(lockPath);
    if (owner && owner.pid === mine.pid && owner.host === mine.host && owner.startedAt === mine.startedAt) {
      fs.rmSync(lockPath, { force: true });
    }
  }
}

module.exports = { withProvisionLock };
