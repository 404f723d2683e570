import { checkPostgresRecipients, postgresNumberPages, tryPostgresLogin } from '../../src/broadcast';
import type { CheckedPostgresQuery } from '../../src/broadcast';
import type { PostgresRecipientQuery } from '../../src/broadcast/postgres-recipients';
import { FieldError } from '../../src/errors/field-error';
import { LOCAL_POSTGRES, postgresSchema } from '../support/private-postgres';
import type { PostgresSchema } from '../support/private-postgres';

/**
 * Hostile and careless inputs to the PostgreSQL recipient source (real server on 127.0.0.1:5432):
 * keys the pages cannot follow, SQL that is not a plain SELECT, a password pasted where it does
 * not belong. Each asserts what README "Recipients from PostgreSQL" promises.
 */
const phone = (i: number): string => `+4479${String(70_000_000 + i).padStart(8, '0')}`;

/** Every number the pages give, or the error that stopped them (with what was read before it). */
async function readAll(query: CheckedPostgresQuery): Promise<{ read: string[]; error: Error | null }> {
  const read: string[] = [];
  try {
    for await (const page of postgresNumberPages(query)) read.push(...page.map((n) => n.to));
    return { read, error: null };
  } catch (err) {
    return { read, error: err as Error };
  }
}

describe('PostgreSQL recipients: hostile and careless inputs (real server)', () => {
  let schema: PostgresSchema;
  let list: string;
  beforeEach(async () => {
    schema = await postgresSchema('hostile');
    list = `${schema.name}.imported`;
    // A list imported from a spreadsheet: no primary key, 100 distinct numbers.
    await schema.admin.query(`CREATE TABLE ${list} (phone text, district text, house int)`);
    await schema.admin.query(`INSERT INTO ${list} SELECT $1 || lpad(n::text, 3, '0'), 'north', n FROM generate_series(1, 100) n`, [phone(0).slice(0, -3)]);
  });
  afterEach(async () => {
    await schema.drop();
  });

  const query = (sql: string, extra: Partial<PostgresRecipientQuery> = {}): PostgresRecipientQuery => ({
    settings: LOCAL_POSTGRES,
    sql,
    parameters: [],
    phoneColumn: 'phone',
    keyColumn: 'id',
    pageSize: 10,
    ...extra,
  });

  /** Checked and read: either a FieldError naming Key Column before anything is read, or every number exactly once. */
  async function checkedOrComplete(sql: string): Promise<void> {
    let checked: CheckedPostgresQuery;
    try {
      checked = await checkPostgresRecipients(query(sql));
    } catch (err) {
      expect(err).toBeInstanceOf(FieldError);
      expect(err).toMatchObject({ field: 'postgresKeyColumn' });
      return;
    }
    const { read, error } = await readAll(checked);
    expect(error?.message).toBeUndefined();
    expect(read.length).toBe(100);
    expect(new Set(read).size).toBe(100);
  }

  // README: the key is checked "set and unique on every row ... (paging by it would skip rows)".
  // A key that is unique but new on every read (a careless key for a table without one) passes
  // that check, and then each page sees other keys: rows are skipped with no error.
  it('a key made up per read (gen_random_uuid()): refused as Key Column, or every row still read once', async () => {
    await checkedOrComplete(`SELECT gen_random_uuid() AS id, phone FROM ${list}`);
  });

  it('a key made up per read (random()): refused as Key Column, or every row still read once', async () => {
    await checkedOrComplete(`SELECT random() AS id, phone FROM ${list}`);
  });

  // A key from a sequence is unique on every read, so it passes the check; each page then numbers
  // the rows anew, all above the last key, and the same first rows come back forever: the
  // broadcast never ends (a hang, each page a full scan), the duplicates dropped one by one.
  it('a key taken from a sequence (nextval): refused as Key Column, or the read ends with every row once', async () => {
    await schema.admin.query(`CREATE SEQUENCE ${schema.name}.numbering`);
    let checked: CheckedPostgresQuery;
    try {
      checked = await checkPostgresRecipients(query(`SELECT nextval('${schema.name}.numbering') AS id, phone FROM ${list}`));
    } catch (err) {
      // Every statement runs read-only, and nextval() writes: the server refuses the SQL itself
      // (it does not say in which column), so the error is against SQL Query, in its words.
      expect(err).toMatchObject({ field: 'postgresQuery', message: expect.stringMatching(/nextval\(\) in a read-only transaction/) });
      return;
    }
    const read: string[] = [];
    // Bounded here so the test ends: 1,000 numbers are ten times the table.
    for await (const page of postgresNumberPages(checked)) {
      read.push(...page.map((n) => n.to));
      if (read.length > 1000) break;
    }
    expect(read.length).toBe(100);
    expect(new Set(read).size).toBe(100);
  });

  // "Before anything is sent ... the key set and unique": a row-valued key passes the check
  // (count DISTINCT works on records), but its text cannot go back as `$n` for the next page,
  // so the run stops after the first page was handed to the sender.
  it('a composite key (ROW(district, house)): refused before the first page, not after it', async () => {
    let checked: CheckedPostgresQuery;
    try {
      checked = await checkPostgresRecipients(query(`SELECT ROW(district, house) AS id, phone FROM ${list}`));
    } catch (err) {
      expect(err).toMatchObject({ field: 'postgresKeyColumn' });
      return;
    }
    const { read, error } = await readAll(checked);
    expect(error?.message).toBeUndefined();
    expect(read.length).toBe(100);
  });

  // "one statement only (a second one after `;` is refused, not run)"; the check is an EXPLAIN
  // (nothing runs). SQL that is not a SELECT must not change the table while it is checked.
  it('SQL that EXPLAIN would run (ANALYZE DELETE ... RETURNING): refused, and no row deleted', async () => {
    const err = await checkPostgresRecipients(query(`ANALYZE DELETE FROM ${list} RETURNING house AS id, phone`)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ field: 'postgresQuery' });
    expect((await schema.admin.query(`SELECT count(*)::int AS n FROM ${list}`)).rows[0].n).toBe(100);
  });

  it('SQL that EXPLAIN would run, options form ((ANALYZE) UPDATE ... RETURNING): refused, and no row changed', async () => {
    const err = await checkPostgresRecipients(query(`(ANALYZE) UPDATE ${list} SET phone = NULL RETURNING house AS id, phone`)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ field: 'postgresQuery' });
    expect((await schema.admin.query(`SELECT count(phone)::int AS n FROM ${list}`)).rows[0].n).toBe(100);
  });

  // One statement, with the `;` and a comment an operator pastes from psql: not a second statement.
  it('one SELECT ending in "; -- comment" is one statement: read, not refused', async () => {
    const checked = await checkPostgresRecipients(query(`SELECT house AS id, phone FROM ${list}; -- every resident`));
    const { read, error } = await readAll(checked);
    expect(error?.message).toBeUndefined();
    expect(read.length).toBe(100);
  });

  // "Phone Number Column or Key Column (with the columns the query has)": a phone column the
  // query has twice is a Phone Number Column problem, not a Key Column one.
  it('the phone column twice in the query (a join): the error names Phone Number Column', async () => {
    const err = await checkPostgresRecipients(query(`SELECT a.house AS id, a.phone, b.phone FROM ${list} a JOIN ${list} b USING (house)`)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FieldError);
    expect(err).toMatchObject({ field: 'postgresPhoneColumn' });
  });

  // "Each problem stops the node with an error naming the field: SQL Query (the server's own
  // words ...)". EXPLAIN and `LIMIT 0` evaluate no row, so an error a row raises (a value that
  // does not cast, a division by zero) first shows in the uniqueness pass, and is reported there
  // against Key Column, a column that is fine.
  it('an error raised by a row of the SQL (a phone that does not cast to bigint): SQL Query, not Key Column', async () => {
    await schema.admin.query(`UPDATE ${list} SET phone = 'n/a' WHERE house = 50`);
    const err = await checkPostgresRecipients(query(`SELECT house AS id, phone::bigint AS phone FROM ${list}`)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FieldError);
    expect((err as FieldError).message).toMatch(/invalid input syntax for type bigint/);
    expect(err).toMatchObject({ field: 'postgresQuery' });
  });

  // "the password never in any error, log or output": an operator pastes the connection string
  // (with the password) into Host, as many hosting panels show it.
  it('a connection string pasted into Host: the password is in neither the check error nor the credential test', async () => {
    const password = 'Pasted-S3cret-91';
    const settings = { ...LOCAL_POSTGRES, host: `postgres://reader:${password}@127.0.0.1:5432/test`, password };
    const err = (await checkPostgresRecipients(query('SELECT 1 AS id', { settings })).then(
      () => null,
      (e: unknown) => e,
    )) as Error;
    expect(err).toBeInstanceOf(FieldError);
    expect(`${err.message} ${JSON.stringify(err)}`).not.toContain(password);
    const tested = await tryPostgresLogin(settings).then(
      (ok) => ok,
      (e: unknown) => (e as Error).message,
    );
    expect(tested).not.toContain(password);
  });
});
