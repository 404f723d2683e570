import { checkPostgresRecipients, postgresFingerprint, postgresNumberPages } from '../../src/broadcast';
import type { CheckedPostgresQuery, PostgresSettings } from '../../src/broadcast';
import { FieldError } from '../../src/errors/field-error';
import { fillResidents, LOCAL_POSTGRES, postgresSchema, startPasswordPostgres } from '../support/private-postgres';
import type { PostgresSchema } from '../support/private-postgres';

/**
 * Recipients read from the real PostgreSQL in pages by key: every row once, in key order, with no
 * cursor held; rows inserted behind the pages read change nothing; values stay values; every
 * mistake is a FieldError naming its field, with no password in it.
 */
const number = (i: number): string => `+4479${String(50_000_000 + i).padStart(8, '0')}`;

async function readAll(query: CheckedPostgresQuery): Promise<Array<{ to: string; key: string; row: number }>> {
  const all = [];
  for await (const page of postgresNumberPages(query)) all.push(...page);
  return all;
}

async function failure(promise: Promise<unknown>): Promise<FieldError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FieldError);
  return err as FieldError;
}

describe('PostgreSQL recipients, paged by key (real server on 127.0.0.1:5432)', () => {
  let schema: PostgresSchema;
  let residents: string;
  beforeEach(async () => {
    schema = await postgresSchema('core');
    residents = `${schema.name}.residents`;
  });
  afterEach(async () => {
    await schema.drop();
  });

  const check = (sql: string, extra: Partial<Parameters<typeof checkPostgresRecipients>[0]> = {}) =>
    checkPostgresRecipients({ settings: LOCAL_POSTGRES, sql, parameters: [], phoneColumn: 'phone', keyColumn: 'id', pageSize: 100, ...extra });

  it('reads every row once in key order, a page at a time, with each row named by its key and place; empty numbers are skipped', async () => {
    await fillResidents(schema, 1050, number);
    await schema.admin.query(`INSERT INTO ${residents} VALUES (5, NULL, 'north'), (6, '  ', 'north')`);
    const query = await check(`SELECT id, phone FROM ${residents};`);
    expect(query).toMatchObject({ rows: 1052, numbers: 1050 });
    const pages: number[] = [];
    const all = [];
    for await (const page of postgresNumberPages(query)) {
      pages.push(page.length);
      all.push(...page);
    }
    // 1052 rows in pages of 100: the first page has the 2 rows without a number.
    expect(pages).toEqual([98, ...Array(9).fill(100), 52]);
    expect(all[0]).toEqual({ to: number(0), key: '10', row: 3 });
    expect(all.map((n) => Number(n.key))).toEqual(Array.from({ length: 1050 }, (_, i) => (i + 1) * 10));
  });

  it('rows inserted behind the last page during the read are not read, and nothing is read twice (OFFSET paging would shift)', async () => {
    await fillResidents(schema, 1000, number);
    const query = await check(`SELECT id, phone FROM ${residents}`);
    const pages = postgresNumberPages(query);
    const read: string[] = [];
    for (let i = 0; i < 3; i++) read.push(...((await pages.next()).value ?? []).map((n: { to: string }) => n.to));
    // 300 rows read (keys up to 3000): 200 rows go in behind them, 1 ahead.
    await schema.admin.query(`INSERT INTO ${residents} SELECT n * 10 + 5, '+44791100' || lpad(n::text, 4, '0'), 'north' FROM generate_series(0, 199) n`);
    await schema.admin.query(`INSERT INTO ${residents} VALUES (999995, '+447922000001', 'north')`);
    for await (const page of pages) read.push(...page.map((n) => n.to));
    expect(read.filter((to) => to.startsWith('+44791100'))).toEqual([]);
    expect(new Set(read).size).toBe(read.length);
    expect(read).toHaveLength(1001);
    expect(read[read.length - 1]).toBe('+447922000001');
  });

  it('a connection the server closed between pages (a restart, a terminate) is replaced: every row is still read once', async () => {
    await fillResidents(schema, 500, number);
    const query = await check(`SELECT id, phone FROM ${residents}`);
    const pages = postgresNumberPages(query);
    // Only this read's connection, the one opened by the first page (each page runs in a read-only
    // transaction, so its last statement is COMMIT, not the query): tests run in parallel.
    const ours = "SELECT pid FROM pg_stat_activity WHERE application_name = 'n8n-nodes-sms-gateway' AND pid <> pg_backend_pid()";
    const before = (await schema.admin.query<{ pid: number }>(ours)).rows.map((r) => r.pid);
    const read: string[] = ((await pages.next()).value ?? []).map((n: { to: string }) => n.to);
    const terminated = await schema.admin.query(
      `SELECT pg_terminate_backend(pid) FROM (${ours} AND state = 'idle' AND query = 'COMMIT' AND NOT (pid = ANY($1::int[]))) opened`,
      [before],
    );
    expect(terminated.rowCount).toBe(1);
    for await (const page of pages) read.push(...page.map((n) => n.to));
    expect(read).toHaveLength(500);
    expect(new Set(read).size).toBe(500);
  });

  it('keys of any orderable type go back to the server exactly as it wrote them (timestamps with microseconds, text)', async () => {
    await schema.admin.query(`CREATE TABLE ${schema.name}.t (at timestamptz PRIMARY KEY, name text UNIQUE, phone text)`);
    await schema.admin.query(
      `INSERT INTO ${schema.name}.t SELECT timestamptz '2026-12-03 10:00:00.000001+00' + n * interval '1 microsecond', 'n' || n, '+4479000' || lpad(n::text, 5, '0') FROM generate_series(1, 250) n`,
    );
    for (const keyColumn of ['at', 'name']) {
      const all = await readAll(await check(`SELECT * FROM ${schema.name}.t`, { keyColumn, pageSize: 7 }));
      expect(new Set(all.map((n) => n.to)).size).toBe(250);
      expect(all).toHaveLength(250);
    }
  });

  it('a query parameter stays a value: SQL in it is neither run nor spliced', async () => {
    await fillResidents(schema, 20, number);
    const attack = "north' OR '1'='1";
    await schema.admin.query(`INSERT INTO ${residents} VALUES (1, '+447933000001', $1)`, [attack]);
    const sql = `SELECT id, phone FROM ${residents} WHERE region = $1`;
    expect(await readAll(await check(sql, { parameters: [attack] }))).toEqual([{ to: '+447933000001', key: '1', row: 1 }]);
    const dropper = `x'; DROP TABLE ${residents}; --`;
    expect(await readAll(await check(sql, { parameters: [dropper] }))).toEqual([]);
    expect((await schema.admin.query(`SELECT count(*)::int AS n FROM ${residents}`)).rows[0].n).toBe(21);
  });

  it('the fingerprint is the numbers in key order: the same rows give the same, one changed number another', async () => {
    await fillResidents(schema, 300, number);
    const query = await check(`SELECT id, phone FROM ${residents}`);
    const first = await postgresFingerprint(query);
    // Physical order changes (an update moves the row), key order does not.
    await schema.admin.query(`UPDATE ${residents} SET region = 'south' WHERE id = 10`);
    expect(await postgresFingerprint(query)).toBe(first);
    await schema.admin.query(`UPDATE ${residents} SET phone = '+447944000001' WHERE id = 20`);
    expect(await postgresFingerprint(query)).not.toBe(first);
  });

  describe('mistakes are field errors naming the field, before anything is read', () => {
    beforeEach(async () => {
      await fillResidents(schema, 10, number);
    });

    it("bad SQL, an unknown table or column in the SQL: SQL Query, with the server's words", async () => {
      const syntax = await failure(check(`SELEC id, phone FROM ${residents}`));
      expect(syntax).toMatchObject({ field: 'postgresQuery' });
      expect(syntax.message).toBe('PostgreSQL at 127.0.0.1:5432, database "test" refused the query: syntax error at or near "SELEC"');
      expect(await failure(check(`SELECT id, mobile FROM ${residents}`))).toMatchObject({
        field: 'postgresQuery',
        message: expect.stringMatching(/column "mobile" does not exist/),
      });
      expect(await failure(check(`SELECT id, phone FROM ${schema.name}.nobody`))).toMatchObject({
        field: 'postgresQuery',
        message: expect.stringMatching(/relation ".*nobody" does not exist/),
      });
      expect(await failure(check(`SELECT 1; DELETE FROM ${residents}`))).toMatchObject({ field: 'postgresQuery' });
      expect((await schema.admin.query(`SELECT count(*)::int AS n FROM ${residents}`)).rows[0].n).toBe(10);
    });

    it("a phone or key column the query does not have: that column's field, with the columns it has", async () => {
      expect(await failure(check(`SELECT id, phone FROM ${residents}`, { phoneColumn: 'mobile' }))).toMatchObject({
        field: 'postgresPhoneColumn',
        message: 'The query\'s rows have no column "mobile" (Phone Number Column): they have "id", "phone"',
      });
      expect(await failure(check(`SELECT phone FROM ${residents}`))).toMatchObject({
        field: 'postgresKeyColumn',
        message: expect.stringMatching(/no column "id" \(Key Column\): they have "phone"$/),
      });
      // Names match ignoring case when only one column fits.
      await expect(check(`SELECT id AS "ID", phone AS "Phone" FROM ${residents}`)).resolves.toMatchObject({ keyColumn: 'ID', phoneColumn: 'Phone' });
    });

    it('a key that is not unique, or NULL on some row: Key Column (paging by it would skip rows)', async () => {
      expect(await failure(check(`SELECT region AS id, phone FROM ${residents}`))).toMatchObject({
        field: 'postgresKeyColumn',
        message:
          'Key Column "id" is not unique: 9 of the query\'s 10 rows repeat a value of another row; pages are read by key, so every row needs its own (use the primary key)',
      });
      expect(await failure(check(`SELECT NULLIF(id, 20) AS id, phone FROM ${residents}`))).toMatchObject({
        field: 'postgresKeyColumn',
        message: expect.stringMatching(/^Key Column "id" is empty \(NULL\) on 1 of the query's 10 rows/),
      });
    });

    it('parameters missing or of the wrong type: Query Parameters', async () => {
      expect(await failure(check(`SELECT id, phone FROM ${residents} WHERE id > $1`))).toMatchObject({
        field: 'postgresQueryParameters',
        message: expect.stringMatching(/^PostgreSQL at 127.0.0.1:5432, database "test" refused the query: /),
      });
      expect(await failure(check(`SELECT id, phone FROM ${residents} WHERE id > $1`, { parameters: ['ten'] }))).toMatchObject({
        field: 'postgresQueryParameters',
      });
    });

    it('empty fields and a page size out of range', async () => {
      expect(await failure(check('  '))).toMatchObject({ field: 'postgresQuery' });
      expect(await failure(check('SELECT 1', { keyColumn: ' ' }))).toMatchObject({ field: 'postgresKeyColumn' });
      expect(await failure(check('SELECT 1', { phoneColumn: '' }))).toMatchObject({ field: 'postgresPhoneColumn' });
      expect(await failure(check('SELECT 1', { pageSize: 0 }))).toMatchObject({ field: 'postgresPageSize' });
    });
  });

  describe('connection problems name the credential field', () => {
    it('connection refused: Port, in words', async () => {
      const settings: PostgresSettings = { ...LOCAL_POSTGRES, port: 1 };
      const err = await failure(checkPostgresRecipients({ settings, sql: 'SELECT 1', parameters: [], phoneColumn: 'phone', keyColumn: 'id' }));
      expect(err).toMatchObject({ field: 'port', credential: 'smsGatewayPostgresApi' });
      expect(err.message).toBe(
        'Cannot reach PostgreSQL at 127.0.0.1:1, database "test": connection refused (is the server running, and are Host and Port right?)',
      );
    });

    it('a database that does not exist: Database', async () => {
      const settings: PostgresSettings = { ...LOCAL_POSTGRES, database: 'sms_gw_no_such_db' };
      expect(await failure(checkPostgresRecipients({ settings, sql: 'SELECT 1', parameters: [], phoneColumn: 'phone', keyColumn: 'id' }))).toMatchObject({
        field: 'database',
        message: expect.stringMatching(/database "sms_gw_no_such_db" does not exist/),
      });
    });

    it('a wrong password: Password, and the password is in no message (a server of its own that asks for one)', async () => {
      const server = await startPasswordPostgres('right-Secret-42');
      if (!server) {
        console.warn('skipped: PostgreSQL server binaries (initdb) are not installed');
        return;
      }
      try {
        const wrong = 'wrong-Secret-17';
        const err = await failure(
          checkPostgresRecipients({
            settings: { ...server.settings, password: wrong },
            sql: 'SELECT 1 AS id, 2 AS phone',
            parameters: [],
            phoneColumn: 'phone',
            keyColumn: 'id',
          }),
        );
        expect(err).toMatchObject({ field: 'password', credential: 'smsGatewayPostgresApi' });
        expect(err.message).toBe(`PostgreSQL at 127.0.0.1:${server.settings.port}, database "postgres" refused the password of user "owner"`);
        expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toMatch(/Secret/);
        // The right one reads.
        const query = await checkPostgresRecipients({
          settings: server.settings,
          sql: "SELECT 1 AS id, '+447955000001' AS phone",
          parameters: [],
          phoneColumn: 'phone',
          keyColumn: 'id',
        });
        expect(await readAll(query)).toEqual([{ to: '+447955000001', key: '1', row: 1 }]);
      } finally {
        server.stop();
      }
    });
  });
});
