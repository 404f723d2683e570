'use strict';
// n8n's default database is SQLite through the `sqlite3` native addon. Installed without scripts,
// the addon has no binary, so we compile it once with node-gyp against the headers of the Node
// that runs n8n, and record the ABI it was built for.

const fs = require('node:fs');
const path = require('node:path');
const { runCommand, seconds, npmEnvOutsideProject } = require('./run-command');
const { readMatchingMarker, writeMarker, removeMarker } = require('./ready-marker');

const NODE_GYP_SPEC = 'node-gyp@11';

/** Every distinct sqlite3 package n8n can load: its own and the one its TypeORM fork resolves. */
function findSqliteDirs(n8nPackageDir) {
  const dirs = new Set();
  const resolveFrom = (request, fromDir) => {
    try {
      return path.dirname(require.resolve(`${request}/package.json`, { paths: [fromDir] }));
    } catch {
      return null;
    }
  };
  const own = resolveFrom('sqlite3', n8nPackageDir);
  if (own) dirs.add(fs.realpathSync(own));
  const typeorm = resolveFrom('@n8n/typeorm', n8nPackageDir);
  const viaTypeorm = typeorm && resolveFrom('sqlite3', typeorm);
  if (viaTypeorm) dirs.add(fs.realpathSync(viaTypeorm));
  return [...dirs];
}

/** True when `nodeBin` can load the addon in `sqliteDir` and open an in-memory database. */
async function addonLoads(nodeBin, sqliteDir) {
  const probe =
    'const s = require(process.argv[1]);' +
    'const db = new s.Database(":memory:");' +
    'db.get("select 1 as one", (e, row) => { if (e || !row || row.one !== 1) process.exit(2); db.close(); });';
  try {
    await runCommand(nodeBin, ['-e', probe, sqliteDir], { timeoutMs: 30000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * @param {{ cacheDir: string, n8nPackageDir: string, node: { nodeBin: string, headersDir: string | null,
 *           version: string, abi: string }, log: (line: string) => void }} options
 * @returns {Promise<{ ok: true } | { ok: false, reason: string }>}
 */
async function ensureSqliteAddon({ cacheDir, n8nPackageDir, node, log }) {
  const markerPath = path.join(cacheDir, 'sqlite-addon.ready.json');
  const failedPath = path.join(cacheDir, 'sqlite-addon.failed.json');
  const sqliteDirs = findSqliteDirs(n8nPackageDir);
  if (sqliteDirs.length === 0) return { ok: false, reason: `no sqlite3 package found from ${n8nPackageDir}` };

  if (readMatchingMarker(markerPath, { abi: node.abi, nodeVersion: node.version, dirs: sqliteDirs.join('|') })) {
    return { ok: true };
  }
  removeMarker(markerPath);

  for (const sqliteDir of sqliteDirs) {
    if (await addonLoads(node.nodeBin, sqliteDir)) {
      log(`sqlite3 in ${sqliteDir} already loads under Node ${node.version}`);
      continue;
    }
    // Without local headers node-gyp downloads them for the exact target version.
    const headerArgs = node.headersDir ? [`--nodedir=${node.headersDir}`] : [`--target=${node.version}`];
    log(`building sqlite3 for Node ${node.version} (ABI ${node.abi}) in ${sqliteDir}; this takes 1-2 minutes`);
    try {
      const build = await runCommand('npx', ['--yes', NODE_GYP_SPEC, 'rebuild', ...headerArgs, `--jobs=${Math.max(1, require('node:os').cpus().length)}`], {
        cwd: sqliteDir,
        env: npmEnvOutsideProject(process.env),
        timeoutMs: 20 * 60 * 1000,
      });
      log(`sqlite3 built in ${seconds(build.ms)}`);
    } catch (error) {
      const reason = /** @type {Error} */ (error).message;
      writeMarker(failedPath, { abi: node.abi, nodeVersion: node.version, reason: reason.slice(-4000) });
      return { ok: false, reason };
    }
    if (!(await addonLoads(node.nodeBin, sqliteDir))) {
      const reason = `sqlite3 in ${sqliteDir} was built but still does not load under ${node.nodeBin}`;
      writeMarker(failedPath, { abi: node.abi, nodeVersion: node.version, reason });
      return { ok: false, reason };
    }
  }
  removeMarker(failedPath);
  writeMarker(markerPath, { abi: node.abi, nodeVersion: node.version, dirs: sqliteDirs.join('|') });
  return { ok: true };
}

/** The recorded failure of an earlier build for this Node, so we do not retry it on every run. */
function earlierSqliteFailure(cacheDir, node) {
  const failed = readMatchingMarker(path.join(cacheDir, 'sqlite-addon.failed.json'), {
    abi: node.abi,
    nodeVersion: node.version,
  });
  return failed ? String(failed.reason) : null;
}

module.exports = { ensureSqliteAddon, earlierSqliteFailure, findSqliteDirs };
