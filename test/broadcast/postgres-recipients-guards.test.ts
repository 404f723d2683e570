import { checkPostgresRecipients, postgresNumberPages } from '../../src/broadcast';
import { checkPostgresSettings, postgresProblem } from '../../src/broadcast/postgres-connection';
import type { PostgresRecipientQuery } from '../../src/broadcast/postgres-recipients';
import { FieldError } from '../../src/errors/field-error';
import { LOCAL_POSTGRES, postgresSchema } from '../support/private-postgres';
import type { PostgresSchema } from '../support/private-postgres';

/**
 * The guards behind README "Recipients from PostgreSQL" (real server on 127.0.0.1:5432): only
 * reading SQL, every statement read-only, one statement with its trailing `;` and comments, a
 * read that stops when the key stops following the rows, and no password in any error.
 */
describe('PostgreSQL recipients: read-only, one statement, a read that ends (real server)', () => {
  let schema: PostgresSchema;
  let list: string;
  const count = async (): Promise<number> => (await schema.admin.query(`SELECT count(phone)::int AS n FROM ${list}`)).rows[0].n;
  beforeEach(async () => {
    schema = await postgresSchema('guards');
    list = `${schema.name}.people`;
    await schema.admin.query(`CREATE TABLE ${list} (id int PRIMARY KEY, phone text)`);
    await schema.admin.query(`INSERT INTO ${list} SELECT n, '+4479700' || lpad(n::text, 5, '0') FROM generate_series(1, 100) n`);
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
  const failure = (sql: string): Promise<FieldError> =>
    checkPostgresRecipients(query(sql)).then(
      () => {
        throw new Error(`accepted: ${sql}`);
      },
      (e: unknown) => e as FieldError,
    );
  async function readAll(sql: string): Promise<string[]> {
    const read: string[] = [];
    for await (const page of postgresNumberPages(await checkPostgresRecipients(query(sql)))) read.push(...page.map((n) => n.to));
    return read;
  }

  it('a second statement after ";" is refused, and not run', async () => {
    const err = await failure(`SELECT id, phone FROM ${list}; DELETE FROM ${list}`);
    expect(err).toMatchObject({ field: 'postgresQuery' });
    expect(await count()).toBe(100);
  });

  it('a writing command behind comments and parentheses is refused by name before the server sees it', async () => {
    const err = await failure(`/* weekly */ -- list\n ( ANALYZE ) DELETE FROM ${list} RETURNING id, phone`);
    expect(err).toMatchObject({
      field: 'postgresQuery',
      message: expect.stringMatching(/starting with SELECT, WITH, VALUES or TABLE \(it starts with "ANALYZE"\)/),
    });
    expect(await count()).toBe(100);
  });

  it('a SELECT whose function writes: refused by the read-only transaction, no row changed', async () => {
    await schema.admin.query(
      `CREATE FUNCTION ${schema.name}.wipe() RETURNS int LANGUAGE plpgsql VOLATILE AS $$ BEGIN UPDATE ${list} SET phone = NULL; RETURN 1; END $$`,
    );
    const err = await failure(`SELECT id, phone, ${schema.name}.wipe() AS w FROM ${list}`);
    expect(err).toMatchObject({ field: 'postgresQuery', message: expect.stringMatching(/read-only transaction/) });
    expect(await count()).toBe(100);
  });

  it('trailing comments and semicolons, and ";" or "--" inside strings, names and $$ quotes: one statement, every row read', async () => {
    expect(await readAll(`SELECT id, phone FROM ${list} -- everyone`)).toHaveLength(100);
    expect(await readAll(`SELECT id, phone FROM ${list} /* all */ ;; /* done */\n-- really`)).toHaveLength(100);
    expect(await readAll(`SELECT id, phone, 'x; -- y' AS "a;--b", $q$; DELETE$q$ AS z, E'\\'; --' AS e FROM ${list};`)).toHaveLength(100);
    expect(await count()).toBe(100);
  });

  // The checks see a stable key; the table's keys then move up under the read (an UPDATE of the
  // key column during the broadcast): each page finds the same people above the last key, so
  // without a bound the read repeats them for as long as the keys keep moving.
  it('keys that move above the last one read during the read: a Key Column error, not an endless read', async () => {
    const checked = await checkPostgresRecipients(query(`SELECT id, phone FROM ${list}`));
    let rows = 0;
    let error: unknown = null;
    try {
      for await (const page of postgresNumberPages(checked)) {
        rows += page.length;
        if (rows > 1000) break;
        await schema.admin.query(`UPDATE ${list} SET id = id + 1000`);
      }
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ field: 'postgresKeyColumn', message: expect.stringMatching(/stopped following the rows/) });
    expect(rows).toBe(210);
  });

  it('a server or socket message that holds the password: scrubbed from the error', () => {
    const settings = { ...LOCAL_POSTGRES, password: 'Hunter2-Secret' };
    const plain = postgresProblem(new Error('could not parse "postgres://u:Hunter2-Secret@h/db"'), settings, 'postgresQuery');
    expect(plain.message).toBe('could not parse "postgres://u:***@h/db"');
    const sql = postgresProblem(
      Object.assign(new Error('invalid input syntax for type integer: "Hunter2-Secret"'), { code: '22P02' }),
      settings,
      'postgresQuery',
    );
    expect(sql).toBeInstanceOf(FieldError);
    expect(`${sql.message} ${JSON.stringify(sql)}`).not.toContain('Hunter2-Secret');
  });

  it('Host: a connection string is refused with its password masked; a Unix socket directory is a host', () => {
    const settings = { ...LOCAL_POSTGRES, password: 'Hunter2-Secret' };
    let refused: unknown = null;
    try {
      checkPostgresSettings({ ...settings, host: 'db.example.org:5432@' });
      checkPostgresSettings({ ...settings, host: 'postgres://reader:Hunter2-Secret@db.example.org:5432/app' });
    } catch (err) {
      refused = err;
    }
    expect(refused).toMatchObject({ field: 'host', credential: 'smsGatewayPostgresApi' });
    expect((refused as Error).message).not.toContain('Hunter2-Secret');
    expect(() => checkPostgresSettings({ ...settings, host: '/var/run/postgresql' })).not.toThrow();
    const masked = (() => {
      try {
        checkPostgresSettings({ ...settings, host: 'postgresql://reader:Other-Pass@db.example.org/app' });
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(masked).toContain('"postgresql://reader:***@db.example.org/app"');
  });
});
