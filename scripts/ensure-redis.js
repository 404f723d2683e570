'use strict';
// Makes sure a Redis answers on 127.0.0.1:6379 (tests use it for the OTP store, opt-outs,
// journals and the shared TPS budget): starts redis-server when it is installed but not running,
// installs it with apt-get when missing and we are root on Debian.
const net = require('net');
const { execFileSync, spawnSync } = require('child_process');

function ping(port = 6379, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

async function ensureRedis() {
  if (await ping()) return;
  if (!has('redis-server')) {
    if (process.getuid && process.getuid() === 0 && has('apt-get')) {
      console.log('[setup] installing redis-server with apt-get ...');
      execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server'], { stdio: 'inherit' });
    } else {
      throw new Error(
        'Redis is not running on 127.0.0.1:6379 and redis-server is not installed: install Redis (e.g. `apt-get install redis-server`) and run it',
      );
    }
  }
  console.log('[setup] starting redis-server on 127.0.0.1:6379');
  execFileSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no'], { stdio: 'inherit' });
  for (let i = 0; i < 50; i++) {
    if (await ping()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('redis-server was started but does not answer on 127.0.0.1:6379');
}

module.exports = { ensureRedis, ping };
if (require.main === module)
  ensureRedis().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
