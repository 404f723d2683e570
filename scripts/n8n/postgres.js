'use strict';
// The PostgreSQL fallback when SQLite cannot be built: n8n gets a database of its own per
// instance, created through the `pg` client that n8n itself ships (so no psql is needed).

const net = require('node:net');
const { runCommand } = require('./run-command');

/** Where the server is and who we are, from n8n's own variables, then libpq's, then defaults. */
function postgresConnection(env = process.env) {
  return {
    host: env.DB_POSTGRESDB_HOST || env.PGHOST || '127.0.0.1',
    port: Number(env.DB_POSTGRESDB_PORT || env.PGPORT || 5432),
    user: env.DB_POSTGRESDB_USER || env.PGUSER || 'postgres',
    password: env.DB_POSTGRESDB_PASSWORD || env.PGPASSWORD || '',
  };
}

/** True when something accepts TCP connections at host:port within `timeoutMs`. */
function postgresIsListening({ host, port }, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** A database name Postgres accepts unquoted: lower case letters, digits and underscores. */
function databaseNameFor(label) {
  const cleaned = String(label)
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const name = `n8n_${cleaned}`.slice(0, 63);
  assertPlainDatabaseName(name);
  return name;
}

// Runs in the Node that runs n8n, with n8n's `pg`; the statement comes in through argv.
const RUN_SQL = `
const { Client } = require(require.resolve('pg', { paths: [process.argv[1]] }));
const connection = JSON.parse(process.argv[2]);
const client = new Client({ ...connection, database: 'postgres' });
client.connect()
  .then(() => client.query(process.argv[3]))
  .then(() => client.end())
  .catch((error) => { console.error(error.message); process.exit(1); });
`;

async function runAdminStatement({ nodeBin, n8nPackageDir, connection, sql }) {
  await runCommand(nodeBin, ['-e', RUN_SQL, n8nPackageDir, JSON.stringify(connection), sql], { timeoutMs: 30000 });
}

/** The name goes into SQL text unquoted, so only plain identifiers pass. */
function assertPlainDatabaseName(database) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) {
    throw new Error(`database name "${database}" must be 1-63 characters of a-z, 0-9 and _, not starting with a digit`);
  }
}

/** Drops (if present) and creates the database, so every instance starts from an empty one. */
async function recreateDatabase({ nodeBin, n8nPackageDir, connection, database }) {
  assertPlainDatabaseName(database);
  await runAdminStatement({ nodeBin, n8nPackageDir, connection, sql: `DROP DATABASE IF EXISTS ${database}` });
  await runAdminStatement({ nodeBin, n8nPackageDir, connection, sql: `CREATE DATABASE ${database}` });
}

async function dropDatabase({ nodeBin, n8nPackageDir, connection, database }) {
  assertPlainDatabaseName(database);
  await runAdminStatement({ nodeBin, n8nPackageDir, connection, sql: `DROP DATABASE IF EXISTS ${database}` });
}

/** The environment that points n8n at `database`. */
function postgresEnvFor(connection, database) {
  return {
    DB_TYPE: 'postgresdb',
    DB_POSTGRESDB_HOST: connection.host,
    DB_POSTGRESDB_PORT: String(connection.port),
    DB_POSTGRESDB_USER: connection.user,
    DB_POSTGRESDB_PASSWORD: connection.password,
    DB_POSTGRESDB_DATABASE: database,
  };
}

module.exports = {
  postgresConnection,
  postgresIsListening,
  databaseNameFor,
  recreateDatabase,
  dropDatabase,
  postgresEnvFor,
};
