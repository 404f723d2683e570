/**
 * Phone numbers from a PostgreSQL query, read in pages by key (keyset pagination): each page is
 * one short statement `... WHERE key > <last key> ORDER BY key LIMIT <page>`, so no transaction or
 * cursor stays open for the hours a TPS-limited broadcast can take, memory holds one page, and a
 * row inserted behind the last page read is neither read nor shifts the pages (OFFSET paging would
 * skip or repeat rows then). The user's SQL runs as written, with its `$1`... values sent apart
 * from it (never spliced in); only the column names are put into the statement, quoted by pg.
 */
import { escapeIdentifier } from 'pg';
import type { QueryResult } from 'pg';
import { createHash } from 'crypto';
import { FieldError } from '../errors/field-error';
import {
  checkPostgresSettings,
  openPostgres,
  PostgresConnectionLost,
  queryAsText,
  postgresProblem,
  STATEMENT_TIMEOUT_MS,
  whereIs,
} from './postgres-connection';
import { isRefusedStatement, scanSql } from './postgres-sql-text';
import type { PostgresSettings } from './postgres-connection';

/** The node's parameters these errors are reported against. */
export const POSTGRES_FIELDS = {
  query: 'postgresQuery',
  parameters: 'postgresQueryParameters',
  phone: 'postgresPhoneColumn',
  key: 'postgresKeyColumn',
  pageSize: 'postgresPageSize',
} as const;

export interface PostgresRecipientQuery {
  settings: PostgresSettings;
  /** A SELECT (or anything that returns rows in a subquery: VALUES, a view's name in a SELECT); `$1`... are `parameters`. */
  sql: string;
  parameters: unknown[];
  phoneColumn: string;
  /** A column with one value per row, never NULL: the pages' order and where the next page starts. */
  keyColumn: string;
  /** Rows per page (default 1000). */
  pageSize?: number;
}

/** A query checked against the server: its columns as the server names them, and how many rows it has. */
export interface CheckedPostgresQuery extends Required<PostgresRecipientQuery> {
  rows: number;
  /** Rows with a phone number (not NULL, not blank): the recipients. */
  numbers: number;
}

export interface PostgresNumber {
  to: string;
  /** The row's key, as the server writes it. */
  key: string;
  /** Its place in key order, 1 = the first row read. */
  row: number;
}

const MAX_PAGE = 50_000;

/** The SQL as a subquery: trailing semicolons and comments off, on lines of its own. */
function subquery(sql: string): string {
  return `(\n${scanSql(sql).body}\n) AS q`;
}

/** The query's parameters as values: what looks like SQL in them stays a value. */
export function postgresParameters(raw: unknown): unknown[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (Array.isArray(raw)) return raw.map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v));
  if (typeof raw === 'number' || typeof raw === 'boolean') return [raw];
  return String(raw)
    .split(',')
    .map((v) => v.trim());
}

function checkInput(query: PostgresRecipientQuery): void {
  if (!query.sql.trim())
    throw new FieldError(POSTGRES_FIELDS.query, 'SQL Query is empty: give a SELECT that returns the phone numbers, e.g. SELECT id, phone FROM residents');
  if (!query.phoneColumn.trim()) throw new FieldError(POSTGRES_FIELDS.phone, 'Phone Number Column is empty: name the column of the query with the numbers');
  if (!query.keyColumn.trim())
    throw new FieldError(POSTGRES_FIELDS.key, 'Key Column is empty: name a column with a unique value per row (usually the primary key, id)');
  // Only a query that reads rows: `EXPLAIN ANALYZE DELETE ...` would run the DELETE (and every
  // statement runs read-only besides, so what fools this test still changes nothing).
  const { firstWord } = scanSql(query.sql);
  if (isRefusedStatement(firstWord))
    throw new FieldError(
      POSTGRES_FIELDS.query,
      `SQL Query must be a query that reads rows, starting with SELECT, WITH, VALUES or TABLE (it starts with ${firstWord ? `"${firstWord}"` : 'nothing but comments'})`,
    );
  const size = query.pageSize ?? 1000;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE)
    throw new FieldError(POSTGRES_FIELDS.pageSize, `Rows per Page must be a whole number from 1 to ${MAX_PAGE} (got ${String(query.pageSize)})`);
}

/** The server's name of a column the user named: exact, or the only one that matches ignoring case. */
function columnNamed(columns: string[], wanted: string, field: string, label: string): string {
  const name = wanted.trim();
  const times = columns.filter((c) => c === name).length;
  if (times > 1)
    throw new FieldError(
      field,
      `The query's rows have ${times} columns named "${name}" (${label}): name the one to use with AS (e.g. SELECT a.${name} AS ${name}, b.${name} AS other_${name} ...)`,
    );
  if (times === 1) return name;
  const alike = columns.filter((c) => c.toLowerCase() === name.toLowerCase());
  if (alike.length === 1) return alike[0];
  const shown = columns
    .slice(0, 20)
    .map((c) => `"${c}"`)
    .join(', ');
  throw new FieldError(field, `The query's rows have no column "${name}" (${label}): they have ${shown || 'no columns'}`);
}

/** The SQLSTATEs that are about the parameters' values or count, not the SQL. */
const PARAMETER_CODES = new Set(['42P02', '08P01', '42P18', '22P02', '22007', '22008', '22003']);

/** PostgreSQL's type `record` (an anonymous row value, ROW(...)): its text cannot be sent back as a parameter. */
const RECORD_TYPE = 2249;

/**
 * Checks the query before anything is sent: it runs, it has both columns, and the key is set,
 * unique on every row and the same from one read to the next (keyset paging would silently skip
 * or repeat rows otherwise), and the next page's statement accepts it. One scan of the query's
 * rows (count and count distinct): index the key column for big tables.
 */
export async function checkPostgresRecipients(query: PostgresRecipientQuery): Promise<CheckedPostgresQuery> {
  checkPostgresSettings(query.settings);
  checkInput(query);
  const pool = openPostgres(query.settings);
  const run = (text: string, values: unknown[], field: string | ((code: string) => string)) => queryAsText(pool, query.settings, text, values, field);
  try {
    const from = subquery(query.sql);
    const fieldOf = (code: string): string => (PARAMETER_CODES.has(code) ? POSTGRES_FIELDS.parameters : POSTGRES_FIELDS.query);
    // EXPLAIN first: the server plans the SQL as written (nothing runs), so its errors point into
    // the user's SQL, not into the statement that wraps it. The options are ours, written out, so
    // no text of the user's is ever read as an EXPLAIN option.
    await run(`EXPLAIN (COSTS OFF) ${scanSql(query.sql).body}`, query.parameters, fieldOf);
    const probe = await run(`SELECT * FROM ${from} LIMIT 0`, query.parameters, fieldOf);
    const columns = probe.fields.map((f) => f.name);
    const phoneColumn = columnNamed(columns, query.phoneColumn, POSTGRES_FIELDS.phone, 'Phone Number Column');
    const keyColumn = columnNamed(columns, query.keyColumn, POSTGRES_FIELDS.key, 'Key Column');
    if (probe.fields.find((f) => f.name === keyColumn)?.dataTypeID === RECORD_TYPE)
      throw new FieldError(
        POSTGRES_FIELDS.key,
        `Key Column "${keyColumn}" is a row value (ROW(...) or a whole table row): the next page is asked for by the last key as a value, which a row value cannot be; use one column (the primary key)`,
      );
    const key = `q.${escapeIdentifier(keyColumn)}`;
    const phone = `q.${escapeIdentifier(phoneColumn)}`;
    // An error here is raised by a row of the user's SQL (a cast, a division by zero: EXPLAIN and
    // LIMIT 0 evaluate no row, and took the parameters' values already), except a key type
    // without equality (json): that is the key's.
    const stats = await run(
      `SELECT count(*) AS rows, count(${key}) AS keyed, count(DISTINCT ${key}) AS distinct_keys, count(NULLIF(btrim(${phone}::text), '')) AS numbers FROM ${from}`,
      query.parameters,
      (code) => (code === '42883' ? POSTGRES_FIELDS.key : POSTGRES_FIELDS.query),
    );
    const { rows, keyed, distinct_keys: distinct, numbers } = stats.rows[0];
    const count = { rows: Number(rows), keyed: Number(keyed), distinct: Number(distinct), numbers: Number(numbers) };
    if (count.keyed < count.rows)
      throw new FieldError(
        POSTGRES_FIELDS.key,
        `Key Column "${keyColumn}" is empty (NULL) on ${count.rows - count.keyed} of the query's ${count.rows} rows: the key must be set on every row (use the primary key)`,
      );
    if (count.distinct < count.keyed)
      throw new FieldError(
        POSTGRES_FIELDS.key,
        `Key Column "${keyColumn}" is not unique: ${count.keyed - count.distinct} of the query's ${count.rows} rows repeat a value of another row; pages are read by key, so every row needs its own (use the primary key)`,
      );
    const checked: CheckedPostgresQuery = { ...query, pageSize: query.pageSize ?? 1000, phoneColumn, keyColumn, rows: count.rows, numbers: count.numbers };
    await checkKeyFollowsPages(checked, run);
    return checked;
  } catch (err) {
    throw postgresProblem(err as Error, query.settings, POSTGRES_FIELDS.query);
  } finally {
    await pool.end();
  }
}

type Run = (text: string, values: unknown[], field: string | ((code: string) => string)) => Promise<QueryResult<Record<string, string | null>>>;

/**
 * The key read twice gives the same first page (a key made up per read, gen_random_uuid(),
 * random(), nextval(), passes the uniqueness count and then each page sees other keys: rows
 * skipped, repeated, or a read that never ends), and the second page's statement takes the last
 * key of the first as its parameter (a type whose text does not go back as a value fails here,
 * before anything is sent, not after the first page).
 */
async function checkKeyFollowsPages(query: CheckedPostgresQuery, run: Run): Promise<void> {
  if (query.rows === 0) return;
  const firstPage = pageStatement(query, true);
  const keysOf = (page: QueryResult<Record<string, string | null>>): string => page.rows.map((r) => r.k).join('\u0000');
  const once = await run(firstPage, query.parameters, POSTGRES_FIELDS.query);
  const twice = await run(firstPage, query.parameters, POSTGRES_FIELDS.query);
  if (keysOf(once) !== keysOf(twice))
    throw new FieldError(
      POSTGRES_FIELDS.key,
      `Key Column "${query.keyColumn}" changes from one read of the query to the next (a value made up per read, such as gen_random_uuid(), random() or nextval()): pages are read by key, so rows would be skipped or repeated; use a column stored in the table (the primary key)`,
    );
  const last = once.rows[once.rows.length - 1]?.k;
  if (last === null || last === undefined) return;
  try {
    await run(pageStatement(query, false), [...query.parameters, last], POSTGRES_FIELDS.key);
  } catch (err) {
    if (!(err instanceof FieldError) || err.credential) throw err;
    throw new FieldError(
      POSTGRES_FIELDS.key,
      `Key Column "${query.keyColumn}" cannot be sent back to ask for the next page (${err.message}); use one column of a plain type (the primary key)`,
    );
  }
}

/** The statement of one page: the rows after `$n` (the last key read) in key order; the first page has no lower bound. */
function pageStatement(query: CheckedPostgresQuery, first: boolean): string {
  const key = `q.${escapeIdentifier(query.keyColumn)}`;
  const after = first ? '' : ` WHERE ${key} > $${query.parameters.length + 1}`;
  return `SELECT ${key} AS k, q.${escapeIdentifier(query.phoneColumn)} AS p FROM ${subquery(query.sql)}${after} ORDER BY ${key} LIMIT ${query.pageSize}`;
}

/**
 * The query's phone numbers in pages, in key order; rows without a number (NULL or blank) are not
 * recipients. Each page is read when the consumer asks for it: a stalled carrier stops the reading.
 */
export async function* postgresNumberPages(query: CheckedPostgresQuery): AsyncGenerator<PostgresNumber[]> {
  const pool = openPostgres(query.settings);
  // Rows may be added during the broadcast (those above the last key are read), but not without
  // end: past twice the rows checked plus a page, the key is not following the rows.
  const mostRows = query.rows * 2 + query.pageSize;
  try {
    let last: string | null = null;
    let row = 0;
    for (;;) {
      const values: unknown[] = last === null ? query.parameters : [...query.parameters, last];
      const statement = pageStatement(query, last === null);
      const read = (): Promise<QueryResult<Record<string, string | null>>> =>
        queryAsText(pool, query.settings, statement, values, POSTGRES_FIELDS.query, STATEMENT_TIMEOUT_MS.page);
      // A page is read-only and starts after the last key: when the connection was lost (the
      // server restarted between pages), reading it again on a new connection is safe. Once.
      const page = await read().catch((err: unknown) => {
        if (err instanceof PostgresConnectionLost) return read();
        throw err;
      });
      const numbers: PostgresNumber[] = [];
      const keys = new Set<string>();
      for (const r of page.rows) {
        row++;
        if (r.k === null)
          throw new FieldError(POSTGRES_FIELDS.key, `Key Column "${query.keyColumn}" became empty (NULL) on a row while the broadcast read the query`);
        if (keys.has(r.k) || r.k === last || row > mostRows)
          throw new FieldError(
            POSTGRES_FIELDS.key,
            `Key Column "${query.keyColumn}" stopped following the rows while the broadcast read the query (${row > mostRows ? `${row} rows read of the ${query.rows} checked` : `the key "${r.k}" came twice`}): the read stopped; use a column stored in the table (the primary key) and run again with the same Broadcast ID`,
          );
        keys.add(r.k);
        last = r.k;
        const to = r.p?.trim();
        if (to) numbers.push({ to, key: r.k, row });
      }
      if (numbers.length) yield numbers;
      if (page.rows.length < query.pageSize) return;
    }
  } finally {
    await pool.end();
  }
}

/**
 * The numbers' identity, read in key order as the broadcast reads them: the same rows give the
 * same hash (a re-post of the same alert is the same broadcast), another set of numbers another.
 */
export async function postgresFingerprint(query: CheckedPostgresQuery): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`postgres\u0000${whereIs(query.settings)}\u0000`);
  for await (const page of postgresNumberPages(query)) for (const n of page) hash.update(`${n.to}\u0001`);
  return hash.digest('hex');
}
