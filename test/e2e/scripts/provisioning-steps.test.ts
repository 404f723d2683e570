// The pieces that make provisioning safe to repeat and to run twice at once: the lock file and the
// ready markers. Real files in a temp folder, real child processes for the stale-lock case.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Plain CommonJS scripts (they run before our build); typed here by hand.
const { withProvisionLock } = require('../../../scripts/n8n/provision-lock') as {
  withProvisionLock: <T>(lockPath: string, work: () => Promise<T>, options: { log: (line: string) => void }) => Promise<T>;
};
const { readMatchingMarker, writeMarker } = require('../../../scripts/n8n/ready-marker') as {
  readMatchingMarker: (markerPath: string, expected: Record<string, unknown>) => Record<string, unknown> | null;
  writeMarker: (markerPath: string, content: Record<string, unknown>) => void;
};

describe('provisioning lock and markers', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-provision-steps-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('two holders of the same lock never overlap, and the lock file is gone afterwards', async () => {
    const lockPath = path.join(dir, 'provision.lock');
    const events: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const firstMayFinish = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const first = withProvisionLock(
      lockPath,
      async () => {
        events.push('first in');
        await firstMayFinish;
        events.push('first out');
      },
      { log: () => undefined },
    );
    // Give the first holder the lock before the second asks for it.
    while (!events.includes('first in')) await new Promise((resolve) => setImmediate(resolve));
    const second = withProvisionLock(
      lockPath,
      async () => {
        events.push('second in');
      },
      { log: () => undefined },
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual(['first in']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(events).toEqual(['first in', 'first out', 'second in']);
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  test('a lock left by a process that died is taken over, with a log line naming its pid', async () => {
    const lockPath = path.join(dir, 'provision.lock');
    const dead = spawnSync(process.execPath, ['-p', 'process.pid'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout.trim());
    fs.writeFileSync(lockPath, JSON.stringify({ pid: deadPid, host: os.hostname(), startedAt: Date.now() }));
    const lines: string[] = [];
    const result = await withProvisionLock(lockPath, async () => 'provisioned', { log: (line) => lines.push(line) });
    expect(result).toBe('provisioned');
    expect(lines.join('\n')).toContain(`stale provisioning lock from pid ${deadPid}`);
  });

  test('the lock is released when the work throws', async () => {
    const lockPath = path.join(dir, 'provision.lock');
    await expect(withProvisionLock(lockPath, async () => Promise.reject(new Error('npm failed')), { log: () => undefined })).rejects.toThrow('npm failed');
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  test('a marker counts only when present, whole, and matching what the step depended on', () => {
    const markerPath = path.join(dir, 'step.ready.json');
    expect(readMatchingMarker(markerPath, { version: '2.40.7' })).toBeNull();
    fs.writeFileSync(markerPath, '{"version": "2.40');
    expect(readMatchingMarker(markerPath, { version: '2.40.7' })).toBeNull();
    writeMarker(markerPath, { version: '2.40.7', abi: '137' });
    expect(readMatchingMarker(markerPath, { version: '2.40.7', abi: '137' })).toMatchObject({
      version: '2.40.7',
      abi: '137',
      finishedAt: expect.any(String),
    });
    expect(readMatchingMarker(markerPath, { version: '2.40.7', abi: '127' })).toBeNull();
    expect(fs.readdirSync(dir)).toEqual(['step.ready.json']);
  });
});
