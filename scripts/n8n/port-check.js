'use strict';
// Before `npm start` starts anything: is every port it needs free? A taken port is refused at once,
// saying what holds it and how to choose another. Without this, n8n failed on the taken port while
// the readiness check found the other n8n answering there, and the demo reported "ready" and 404s.

const fs = require('node:fs');
const net = require('node:net');

/** Whether something listens on `port` (tried the way n8n and the sandbox listen: every interface). */
function isTaken(port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error) => (error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(true) : reject(error)));
    server.listen(port, () => server.close(() => resolve(false)));
  });
}

/**
 * The process listening on `port`, from /proc (Linux; elsewhere, or for another user's process,
 * null): the socket's inode in /proc/net/tcp*, then the process whose file descriptors hold it.
 */
function listeningProcess(port) {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let rows = [];
    try {
      rows = fs.readFileSync(table, 'utf8').trim().split('\n').slice(1);
    } catch {
      continue;
    }
    for (const row of rows) {
      const fields = row.trim().split(/\s+/);
      // fields[1]: local address:port in hex; fields[3]: state (0A = LISTEN); fields[9]: inode.
      if (fields[3] === '0A' && fields[1].endsWith(`:${hexPort}`)) inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return null;
  let pids = [];
  try {
    pids = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let fds = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target = '';
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target);
      if (inode && inodes.has(inode[1])) {
        let command = '';
        try {
          command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
        } catch {
          // gone meanwhile
        }
        return { pid: Number(pid), command: command.length > 120 ? `${command.slice(0, 117)}...` : command };
      }
    }
  }
  return null;
}

/** Whether an n8n answers on `port` (its /healthz says {"status":"ok"}). */
async function answersAsN8n(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1500) });
    const body = await response.json().catch(() => null);
    return response.status === 200 && body !== null && body.status === 'ok';
  } catch {
    return false;
  }
}

/** What holds `port`, in words: "an n8n (process 1234: node .../n8n start)", "process 99 (redis-server)". */
async function describeHolder(port) {
  const [n8n, owner] = await Promise.all([answersAsN8n(port), Promise.resolve(listeningProcess(port))]);
  const processText = owner ? `process ${owner.pid}${owner.command ? `: ${owner.command}` : ''}` : null;
  if (n8n) return processText ? `an n8n (${processText})` : 'an n8n';
  return processText ? processText : 'another program';
}

/**
 * Refuses the first taken port of `ports` ({ port, envVar, what }; port 0 means "any free one"
 * and is skipped) with an Error saying what holds it and how to choose another.
 */
async function assertPortsFree(ports) {
  for (const { port, envVar, what } of ports) {
    if (!port || !(await isTaken(port))) continue;
    const holder = await describeHolder(port);
    const error = new Error(`port ${port} (${what}) is taken by ${holder}. Stop it, or start on another port: ${envVar}=${port + 1} npm start`);
    error.code = 'PORT_TAKEN';
    throw error;
  }
}

module.exports = { assertPortsFree, describeHolder, isTaken, listeningProcess };
