'use strict';
// Which database an n8n instance uses. SQLite lives in the user folder, so a fresh folder is a
// fresh instance. On PostgreSQL each user folder gets a database of its own, named from the
// folder's path and recorded in the folder, so a restart (or a queue-mode worker sharing the
// folder) finds the same data, and a new folder never sees a stale database.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { n8nFolderOf } = require('./user-folder');
const { postgresConnection, postgresIsListening, recreateDatabase, dropDatabase, postgresEnvFor } = require('./postgres');

const RECORD_FILE = 'sms-gateway-database.json';

function recordPathOf(userFolder) {
  return path.join(n8nFolderOf(userFolder), RECORD_FILE);
}

function databaseNameOf(userFolder) {
  const digest = crypto.createHash('sha256').update(path.resolve(userFolder)).digest('hex').slice(0, 16);
  return `n8n_sms_gateway_${digest}`;
}

/**
 * The database for a new instance: `requested` when given; in queue mode PostgreSQL when a server
 * answers (n8n warns that scaling mode is not supported on SQLite, where main and workers share
 * one file); otherwise what provisioning chose.
 */
async function chooseDbMode({ provisioned, mode, requested, connection }) {
  if (requested !== undefined) {
    if (requested !== 'sqlite' && requested !== 'postgres') {
      throw new Error(`dbMode must be "sqlite" or "postgres", got ${JSON.stringify(requested)}`);
    }
    return requested;
  }
  if (mode !== 'regular' && (await postgresIsListening(connection))) return 'postgres';
  return provisioned.dbMode;
}

/**
 * @param {{ provisioned: { dbMode: 'sqlite' | 'postgres', nodeBin: string, n8nPackageDir: string },
 *           userFolder: string, mode: 'regular' | 'queue-main' | 'worker', dbMode?: 'sqlite' | 'postgres' }} options
 * @returns {Promise<{ env: Record<string, string>, dbMode: 'sqlite' | 'postgres', database: string | null }>}
 */
async function databaseEnvFor({ provisioned, userFolder, mode, dbMode }) {
  const connection = postgresConnection();
  const recordPath = recordPathOf(userFolder);
  // A folder that already has a PostgreSQL database keeps it (a restart, or the worker of a main).
  if (fs.existsSync(recordPath)) {
    const { database } = JSON.parse(fs.readFileSync(recordPath, 'utf8'));
    return { env: postgresEnvFor(connection, database), dbMode: 'postgres', database };
  }
  const chosen = await chooseDbMode({ provisioned, mode, requested: dbMode, connection });
  if (chosen === 'sqlite') return { env: { DB_TYPE: 'sqlite' }, dbMode: 'sqlite', database: null };

  if (mode === 'worker') {
    throw new Error(`no database recorded in ${recordPath}: start the queue-mode main on this user folder first`);
  }
  const database = databaseNameOf(userFolder);
  await recreateDatabase({ nodeBin: provisioned.nodeBin, n8nPackageDir: provisioned.n8nPackageDir, connection, database });
  fs.writeFileSync(recordPath, JSON.stringify({ database }, null, 2));
  return { env: postgresEnvFor(connection, database), dbMode: 'postgres', database };
}

/** Drops the PostgreSQL database of a user folder (nothing to do on SQLite). */
async function dropInstanceDatabase({ provisioned, userFolder }) {
  const recordPath = recordPathOf(userFolder);
  if (!fs.existsSync(recordPath)) return;
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
