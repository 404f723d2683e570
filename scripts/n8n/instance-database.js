'use strict';
// Which database an n8n instance uses. SQLite lives in the user folder, so a fresh folder is a
// fresh instance. On PostgreSQL each user folder gets a database of its own, named from the
// folder's path and recorded in the folder, so a restart (or a queue-mode worker sharing the
// folder) finds the same data, and a new folder never sees a stale database.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { n8nFolderOf } = require('./user-folder');
const { postgresConnection, recreateDatabase, dropDatabase, postgresEnvFor } = require('./postgres');

const RECORD_FILE = 'sms-gateway-database.json';

function recordPathOf(userFolder) {
  return path.join(n8nFolderOf(userFolder), RECORD_FILE);
}

function databaseNameOf(userFolder) {
  const digest = crypto.createHash('sha256').update(path.resolve(userFolder)).digest('hex').slice(0, 16);
  return `n8n_sms_gateway_${digest}`;
}

/**
 * @param {{ provisioned: { dbMode: 'sqlite' | 'postgres', nodeBin: string, n8nPackageDir: string },
 *           userFolder: string, mode: 'regular' | 'queue-main' | 'worker' }} options
 * @returns {Promise<{ env: Record<string, string>, database: string | null }>}
 */
async function databaseEnvFor({ provisioned, userFolder, mode }) {
  if (provisioned.dbMode === 'sqlite') return { env: { DB_TYPE: 'sqlite' }, database: null };

  const connection = postgresConnection();
  const recordPath = recordPathOf(userFolder);
  if (fs.existsSync(recordPath)) {
    const { database } = JSON.parse(fs.readFileSync(recordPath, 'utf8'));
    return { env: postgresEnvFor(connection, database), database };
  }
  if (mode === 'worker') {
    throw new Error(`no database recorded in ${recordPath}: start the queue-mode main on this user folder first`);
  }
  const database = databaseNameOf(userFolder);
  await recreateDatabase({ nodeBin: provisioned.nodeBin, n8nPackageDir: provisioned.n8nPackageDir, connection, database });
  fs.writeFileSync(recordPath, JSON.stringify({ database }, null, 2));
  return { env: postgresEnvFor(connection, database), database };
}

/** Drops the PostgreSQL database of a user folder (nothing to do on SQLite). */
async function dropInstanceDatabase({ provisioned, userFolder }) {
  const recordPath = recordPathOf(userFolder);
  if (provisioned.dbMode !== 'postgres' || !fs.existsSync(recordPath)) return;
  const { database } = JSON.parse(fs.readFileSync(recordPath, 'utf8'));
  await dropDatabase({
    nodeBin: provisioned.nodeBin,
    n8nPackageDir: provisioned.n8nPackageDir,
    connection: postgresConnection(),
    database,
  });
  fs.rmSync(recordPath, { force: true });
}

module.exports = { databaseEnvFor, dropInstanceDatabase };
