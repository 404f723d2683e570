/**
 * PostgreSQL connections for recipients read from a database: the settings, a small pool of one
 * connection (a page at a time, nothing held open between pages but the idle socket), and the
 * server's errors said in words against the field they are about. Never the password.
 */
import { Pool } from 'pg';
import type { DatabaseError, PoolClient, QueryConfig, QueryResult } from 'pg';
import { FieldError } from '../errors/field-error';

/** The credential type these settings come from (errors name its fields). */
export const POSTGRES_CREDENTIAL = 'smsGatewayPostgresApi';

export interface PostgresSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  /** 'disable', or TLS that checks the server's certificate ('verify') or not ('require'). */
  ssl: 'disable' | 'require' | 'verify';
}

/** Where the server is, for messages: host, port and database (never the user's password). */
export function whereIs(settings: PostgresSettings): string {
  return `PostgreSQL at ${settings.host}:${settings.port}, database "${settings.database}"`;
}

function credentialField(field: string, problem: string): FieldError {
  return new FieldError(field, problem, { credential: POSTGRES_CREDENTIAL });
}

/** A connection string's `user:password@` shown as `user:***@`. */
function maskUserinfo(text: string): string {
  return text.replace(
    /^([a-z][\w+.-]*:\/\/)?([^@/]*)@/i,
    (_all, scheme: string | undefined, userinfo: string) => `${scheme ?? ''}${userinfo.split(':')[0]}:***@`,
  );
}

/** The settings checked: an empty host, a port out of range or no database is a field error before any connect. */
export function checkPostgresSettings(settings: PostgresSettings): PostgresSettings {
  if (!settings.host.trim()) throw credentialField('host', 'PostgreSQL credential: Host is empty');
  // Hosting panels show a connection string (postgres://user:password@host:5432/db); pasted into
  // Host it would carry the password into every "cannot reach" message. (A path is pg's Unix
  // socket directory, /var/run/postgresql: a host, not a connection string.)
  if (/:\/\/|@/.test(settings.host))
    throw credentialField(
      'host',
      scrubPassword(
        `PostgreSQL credential: Host must be a host name or address, not a connection string (got "${maskUserinfo(settings.host)}"): put the host in Host and the user, password, port and database in their own fields`,
        settings,
      ),
    );
  if (!Number.isInteger(settings.port) || settings.port < 1 || settings.port > 65535)
    throw credentialField('port', `PostgreSQL credential: Port must be 1-65535 (got ${String(settings.port)})`);
  if (!settings.database.trim()) throw credentialField('database', 'PostgreSQL credential: Database is empty');
  if (!settings.user.trim()) throw credentialField('user', 'PostgreSQL credential: User is empty');
  return settings;
}

/** A pool of at most one connection: a lost idle connection is replaced at the next page. */
export function openPostgres(settings: PostgresSettings): Pool {
  const pool = new Pool({
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password ?? '',
    ssl: settings.ssl === 'disable' ? false : { rejectUnauthorized: settings.ssl === 'verify' },
    max: 1,
    // A database host that freezes or a network that drops packets (no RST) is noticed by the
    // statement timeout below; keep-alive lets the OS notice a dead idle socket too.
    keepAlive: true,
    // A broadcast limited by the carrier's TPS can wait minutes for its next page: the idle
    // connection is closed meanwhile and a new one opened for the page.
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: 'n8n-nodes-sms-gateway',
  });
  // An idle connection the server closed (a restart, an idle timeout) is dropped by the pool and
  // reported here; the next query opens a new one, and an error there is the query's to report.
  pool.on('error', () => undefined);
  return pool;
}

/** The password taken out of a text (defence in depth: no message should hold it, none may). */
export function scrubPassword(text: string, settings: PostgresSettings): string {
  const password = settings.password ?? '';
  return password ? text.split(password).join('***') : text;
}

/** How long one statement may take before the read is given up (the checks scan the whole query; a page is one index range). */
export const STATEMENT_TIMEOUT_MS = { check: 300_000, page: 60_000 } as const;

/** Every value as the server writes it (text): keys go back to the server as they came, exactly. */
const AS_TEXT = { getTypeParser: () => (value: string) => value };

/**
 * Runs one statement with its parameters, each value read as text; the server's errors in words,
 * against `field` (or the field `field(code)` names for the server's error code). Always by the
 * extended protocol: one statement per query, even without parameters (pg's simple protocol would
 * run `SELECT 1; DELETE ...` whole). Always in a READ ONLY transaction of its own: the recipients
 * are only read, so no statement (a function with side effects, SQL that fooled the checks) can
 * change data. A statement without an answer within `timeoutMs` ends the read: a frozen host or
 * a dropped network would otherwise hold the broadcast forever.
 */
export async function queryAsText(
  pool: Pool,
  settings: PostgresSettings,
  text: string,
  values: unknown[],
  field: string | ((code: string) => string),
  timeoutMs: number = STATEMENT_TIMEOUT_MS.check,
): Promise<QueryResult<Record<string, string | null>>> {
  // `queryMode` is pg's (lib/query.js, 8.x); @types/pg does not declare it.
  const statement: QueryConfig & { queryMode: 'extended'; query_timeout: number } = {
    text,
    values,
    types: AS_TEXT,
    queryMode: 'extended',
    query_timeout: timeoutMs,
  };
  let client: PoolClient | undefined;
  let broken = false;
  try {
    client = await pool.connect();
    // Checked out, a client's socket errors are no longer the pool's to catch: they reach the statement under way.
    client.on('error', ignoreSocketError);
    await client.query({ text: 'BEGIN READ ONLY', query_timeout: timeoutMs } as QueryConfig);
    try {
      const result = await client.query<Record<string, string | null>>(statement);
      await client.query({ text: 'COMMIT', query_timeout: timeoutMs } as QueryConfig);
      return result;
    } catch (err) {
      if (!isTimeout(err)) await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } catch (err) {
    const code = (err as Partial<DatabaseError>).code ?? '';
    // Not given back to the pool: a timeout, a socket error, a connection exception (08) or an
    // administrator's terminate / a shutdown (57P0x) leave nothing worth reusing.
    broken = isTimeout(err) || !/^[0-9A-Z]{5}$/.test(code) || code.startsWith('08') || code.startsWith('57P');
    if (isTimeout(err)) throw new PostgresTimeout(settings, timeoutMs);
    // A pooled connection the server closed while idle (a restart, a terminate) shows as a reset
    // on its next statement: the connection was lost, not the server unreachable.
    if (client && (code === 'ECONNRESET' || code === 'EPIPE'))
      throw new PostgresConnectionLost(`${whereIs(settings)} closed the connection: ${(err as Error).message}`);
    throw postgresProblem(err as Error, settings, typeof field === 'string' ? field : field((err as Partial<DatabaseError>).code ?? ''));
  } finally {
    // A connection that timed out or failed below SQL is not given back: the next statement opens a new one.
    client?.off('error', ignoreSocketError);
    if (client && broken) destroy(client);
    else client?.release();
  }
}

function ignoreSocketError(): void {}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && err.message === 'Query read timeout';
}

/** Drops a connection whose socket may be silent for good: closing it politely would wait on that silence. */
function destroy(client: PoolClient): void {
  // `connection.stream` is pg's socket (lib/client.js, 8.x); @types/pg does not declare it.
  (client as PoolClient & { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  client.release(true);
}

/** The server did not answer a statement in time: the read stops (a broadcast stops resumably and says how to resume). */
export class PostgresTimeout extends Error {
  constructor(settings: PostgresSettings, timeoutMs: number) {
    super(
      `${whereIs(settings)} (SMS Gateway PostgreSQL credential) did not answer a statement of the SQL Query within ${timeoutMs / 1000} s (a database host that froze, or a network that drops packets): the read stopped`,
    );
    this.name = 'PostgresTimeout';
  }
}

/** SQLSTATE classes of a connection or a login, against the credential field they are about. */
const LOGIN_FIELDS: Record<string, string> = {
  '28P01': 'password', // invalid_password
  '28000': 'user', // invalid_authorization_specification: no such role, or pg_hba refuses it
  '3D000': 'database', // invalid_catalog_name
};

/**
 * A pg error as a FieldError: the login's against the credential field, the query's against
 * `field` (the SQL Query parameter, or the column it names). The server's own message says what
 * is wrong with the SQL; socket errors are said in words (n8n rewrites messages that contain
 * ECONNREFUSED and the like, so the codes are left out).
 */
export function postgresProblem(err: Error, settings: PostgresSettings, field: string): Error {
  const problem = describeProblem(err, settings, field);
  if (!settings.password || !`${problem.message}${(problem as Partial<FieldError>).hint ?? ''}`.includes(settings.password)) return problem;
  // Defence in depth: whatever the server or a socket said, the password is not in it.
  const scrub = (text: string): string => scrubPassword(text, settings);
  if (problem instanceof FieldError)
    return new FieldError(problem.field, scrub(problem.problem), {
      credential: problem.credential,
      hint: problem.hint === undefined ? undefined : scrub(problem.hint),
      message: scrub(problem.message),
    });
  return Object.assign(new Error(scrub(problem.message)), { name: problem.name });
}

function describeProblem(err: Error, settings: PostgresSettings, field: string): Error {
  if (err instanceof FieldError || err instanceof PostgresTimeout || err instanceof PostgresConnectionLost) return err;
  const where = whereIs(settings);
  const code = (err as Partial<DatabaseError>).code ?? '';
  const loginField = LOGIN_FIELDS[code];
  if (loginField === 'password') return credentialField('password', `${where} refused the password of user "${settings.user}"`);
  if (loginField) return credentialField(loginField, `${where}: ${err.message}`);
  const socket = SOCKET_PROBLEMS[code];
  if (socket) return credentialField(socket.field, `Cannot reach ${where}: ${socket.words}`);
  if (/does not support SSL/i.test(err.message))
    return credentialField(
      'ssl',
      `${where} does not accept TLS (SSL): set SSL to Disable in the SMS Gateway PostgreSQL credential, or turn TLS on in the server`,
    );
  if (/timeout expired|Connection terminated due to connection timeout/i.test(err.message))
    return credentialField('host', `Cannot reach ${where}: no answer within 10 s (check Host and Port, and that a firewall lets the port through)`);
  if (/Connection terminated|server closed the connection/i.test(err.message) || code === 'ECONNRESET' || code === '57P01')
    return new PostgresConnectionLost(`${where} closed the connection: ${err.message}`);
  if (code === '25006')
    return new FieldError(
      field,
      `${where} refused the query: ${err.message} (recipients are only read, in a read-only transaction: the SQL may not change anything; a key numbered per read by nextval() could not page the rows anyway, use a column stored in the table)`,
    );
  if (/^[0-9A-Z]{5}$/.test(code)) return new FieldError(field, `${where} refused the query: ${err.message}`);
  return err;
}

/** The server closed a connection that had been open (a restart, an administrator's terminate): worth one more try. */
export class PostgresConnectionLost extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresConnectionLost';
  }
}

const SOCKET_PROBLEMS: Record<string, { field: string; words: string }> = {
  ECONNREFUSED: { field: 'port', words: 'connection refused (is the server running, and are Host and Port right?)' },
  ENOTFOUND: { field: 'host', words: 'no such host name' },
  EAI_AGAIN: { field: 'host', words: 'the host name could not be looked up' },
  EHOSTUNREACH: { field: 'host', words: 'no route to the host' },
  ECONNRESET: { field: 'host', words: 'the connection was reset (if the server wants TLS, turn on SSL)' },
  ETIMEDOUT: { field: 'host', words: 'no answer (check Host and Port, and that a firewall lets the port through)' },
};

/** Connects, asks the server who it took us for, and closes (the credential's test): what failed, in words. */
export async function tryPostgresLogin(settings: PostgresSettings): Promise<string> {
  checkPostgresSettings(settings);
  const pool = openPostgres(settings);
  try {
    const answer = await queryAsText(pool, settings, "SELECT current_user AS who, current_setting('server_version') AS version", [], 'host');
    const { who, version } = answer.rows[0];
    return `Connected to ${whereIs(settings)} as "${who}" (PostgreSQL ${version})`;
  } finally {
    await pool.end();
  }
}
