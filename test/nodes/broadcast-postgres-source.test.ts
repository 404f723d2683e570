import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { logCapture, testCredential } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox } from '../support/sandbox';
import { runPostgresBroadcast } from '../support/postgres-broadcast';
import { nodeTypes } from '../support/node-types';
import { fillResidents, postgresSchema, startPasswordPostgres } from '../support/private-postgres';
import type { PostgresSchema } from '../support/private-postgres';

const number = (i: number): string => `+4479${String(60_000_000 + i).padStart(8, '0')}`;

/**
 * Bulk Alert Broadcast with Recipient Source = PostgreSQL Query, through n8n's engine, against the
 * real PostgreSQL and the sandbox SMSC over TCP: the same counts, journal, resume and identity as
 * the CSV source, with the rows read a page at a time.
 */
describe('Bulk Alert Broadcast: recipients from PostgreSQL (real server, sandbox over TCP)', () => {
  let smsc: SandboxSmsc;
  let schema: PostgresSchema;
  let residents: string;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox();
    schema = await postgresSchema('node');
    residents = `${schema.name}.residents`;
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
    await schema.drop();
  });

  const run = (parameters: IDataObject, inputItems: IDataObject[] = [{}], postgres: IDataObject = {}) =>
    runPostgresBroadcast(smsc, { postgresQuery: `SELECT id, phone FROM ${residents}` }, parameters, inputItems, postgres);

  /** Runs `act` once, as soon as the sandbox has accepted `count` messages; `done` says whether it ran (false: the run ended first). */
  function whenAccepted(count: number, act: () => Promise<unknown>): { done: () => Promise<boolean> } {
    let acting: Promise<boolean> | null = null;
    const timer = setInterval(() => {
      if (acting || smsc.stats.accepted < count) return;
      clearInterval(timer);
      acting = act().then(() => true);
    }, 1);
    return {
      done: async () => {
        clearInterval(timer);
        return acting ? await acting : false;
      },
    };
  }

  it('25,000 rows in pages of 1,000, 1% invalid and 1% duplicates: exact counts, every valid number sent once, invalid rows named by key', async () => {
    const { unique, invalid, duplicates } = await fillResidents(schema, 25_000, number);
    const result = await run({ broadcastId: `pg-${Date.now()}`, postgresPageSize: 1000 });
    expect(result.error?.message).toBeUndefined();
    const [summary] = result.items('Broadcast');
    expect(summary).toMatchObject({ total: 25_000, accepted: unique, invalid, duplicatesRemoved: duplicates, failed: 0, parts: unique });
    expect(smsc.store.uniqueDestinations()).toBe(unique);
    expect(smsc.store.duplicates().extraCopies).toBe(0);
    // Row 8 (i = 7, key 80) is the first number that is not one.
    expect((summary.problems as IDataObject[])[0]).toMatchObject({ to: 'not a number 7', status: 'invalid', row: 8, key: '80' });
  });

  it('stopped halfway (the table went away), then re-run with the same Broadcast ID: only the rest are sent, nobody twice', async () => {
    const { unique, invalid, duplicates } = await fillResidents(schema, 25_000, number);
    const broadcastId = `pg-resume-${Date.now()}`;
    const away = whenAccepted(3000, () => schema.admin.query(`ALTER TABLE ${residents} RENAME TO residents_away`));
    const first = await run({ broadcastId, postgresPageSize: 500 });
    expect(await away.done()).toBe(true);
    expect(first.status).toBe('error');
    expect(first.error?.message).toMatch(
      new RegExp(`^Broadcast ${broadcastId} stopped: .*relation ".*residents" does not exist.*Up to then (\\d+) accepted, 0 failed`, 's'),
    );
    const sentFirst = smsc.stats.accepted;
    expect(sentFirst).toBeGreaterThanOrEqual(3000);
    expect(sentFirst).toBeLessThan(unique);

    await schema.admin.query(`ALTER TABLE ${schema.name}.residents_away RENAME TO residents`);
    const second = await run({ broadcastId, postgresPageSize: 500 });
    expect(second.error?.message).toBeUndefined();
    expect(second.items('Broadcast')[0]).toMatchObject({
      total: 25_000,
      accepted: unique - sentFirst,
      skippedAlreadySent: sentFirst,
      invalid,
      duplicatesRemoved: duplicates,
    });
    expect(smsc.store.uniqueDestinations()).toBe(unique);
    expect(smsc.store.duplicates().extraCopies).toBe(0);
  });

  it('rows inserted behind the pages read during the run are not read: nothing re-sent, nothing skipped', async () => {
    const { unique } = await fillResidents(schema, 10_000, number);
    // Keys 5, 15, ... 19,995: behind the first 2,000 rows, long read when 3,000 are accepted.
    const insert = whenAccepted(3000, () =>
      schema.admin.query(`INSERT INTO ${residents} SELECT n * 10 + 5, '+44791100' || lpad(n::text, 4, '0'), 'north' FROM generate_series(0, 1999) n`),
    );
    const result = await run({ broadcastId: `pg-insert-${Date.now()}`, postgresPageSize: 250 });
    expect(await insert.done()).toBe(true);
    expect(result.error?.message).toBeUndefined();
    expect(result.items('Broadcast')[0]).toMatchObject({ total: 10_000, accepted: unique });
    expect(smsc.store.list().filter((m) => m.to.replace(/^\+/, '').startsWith('44791100'))).toEqual([]);
    expect(smsc.store.uniqueDestinations()).toBe(unique);
    expect(smsc.store.duplicates().extraCopies).toBe(0);
  });

  it('without a Broadcast ID: the same rows posted again (or Retry execution) send nothing; another row set is another alert', async () => {
    const { unique } = await fillResidents(schema, 300, number);
    const first = await run({});
    const summary = first.items('Broadcast')[0];
    expect(summary).toMatchObject({ accepted: unique, idFrom: 'message' });
    const again = await run({});
    expect(again.items('Broadcast')[0]).toMatchObject({ accepted: 0, skippedAlreadySent: unique, broadcastId: summary.broadcastId });
    await schema.admin.query(`INSERT INTO ${residents} VALUES (999999, '+447922000009', 'north')`);
    const more = await run({});
    expect(more.items('Broadcast')[0].broadcastId).not.toBe(summary.broadcastId);
  });

  it('a query parameter from the input item stays a value: an injection attempt reaches nobody and drops nothing', async () => {
    await fillResidents(schema, 50, number);
    await schema.admin.query(`UPDATE ${residents} SET region = 'south' WHERE id <= 100`);
    const params = { postgresQuery: `SELECT id, phone FROM ${residents} WHERE region = $1`, postgresQueryParameters: '={{ [$json.region] }}' };
    const south = await run({ ...params, broadcastId: `pg-south-${Date.now()}` }, [{ region: 'south' }]);
    expect(south.items('Broadcast')[0]).toMatchObject({ total: 10, accepted: 9, invalid: 1 });
    const attack = await run({ ...params, broadcastId: `pg-attack-${Date.now()}` }, [{ region: `south' OR '1'='1'; DROP TABLE ${residents}; --` }]);
    expect(attack.error?.message).toBeUndefined();
    expect(attack.items('Broadcast')[0]).toMatchObject({ total: 0, accepted: 0 });
    expect((await schema.admin.query(`SELECT count(*)::int AS n FROM ${residents}`)).rows[0].n).toBe(50);
    expect(smsc.store.uniqueDestinations()).toBe(9);
  });

  it.each<[string, IDataObject, RegExp, string]>([
    ['bad SQL', { postgresQuery: 'SELEC id, phone FROM residents' }, /refused the query: syntax error at or near "SELEC"$/, 'Check "SQL Query"'],
    [
      'an unknown phone column',
      { postgresPhoneColumn: 'mobile' },
      /^The query's rows have no column "mobile" \(Phone Number Column\): they have "id", "phone"$/,
      'Check "Phone Number Column"',
    ],
    [
      'a key that is not unique',
      { postgresQuery: 'SELECT region, phone FROM RESIDENTS', postgresKeyColumn: 'region' },
      /^Key Column "region" is not unique/,
      'Check "Key Column"',
    ],
  ])('%s: an error naming the field, before anything is sent', async (_what, parameters, message, description) => {
    await fillResidents(schema, 20, number);
    const query = typeof parameters.postgresQuery === 'string' ? parameters.postgresQuery.replace('RESIDENTS', residents) : undefined;
    const result = await run({ ...parameters, ...(query ? { postgresQuery: query } : {}) });
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(message);
    expect(result.error?.description).toBe(description);
    expect(smsc.store.list()).toHaveLength(0);
  });

  it('connection refused: an error naming the credential field', async () => {
    const result = await run({}, [{}], { port: 1 });
    expect(result.error?.message).toBe(
      'Cannot reach PostgreSQL at 127.0.0.1:1, database "test": connection refused (is the server running, and are Host and Port right?)',
    );
    expect(result.error?.description).toBe('Check "Port" in the SMS Gateway PostgreSQL credential');
  });

  it('a wrong password: an error naming the Password field, the password in no message or log; the credential test says the same', async () => {
    const server = await startPasswordPostgres('right-Secret-42');
    if (!server) {
      console.warn('skipped: PostgreSQL server binaries (initdb) are not installed');
      return;
    }
    try {
      const wrong = { ...server.settings, password: 'wrong-Secret-17' };
      const result = await run({ postgresQuery: 'SELECT 1 AS id' }, [{}], wrong as unknown as IDataObject);
      expect(result.error?.message).toBe(`PostgreSQL at 127.0.0.1:${server.settings.port}, database "postgres" refused the password of user "owner"`);
      expect(result.error?.description).toBe('Check "Password" in the SMS Gateway PostgreSQL credential');
      const tested = await testCredential({ nodeTypes, credentialType: 'smsGatewayPostgresApi', data: wrong as unknown as ICredentialDataDecryptedObject });
      expect(tested).toEqual({ status: 'Error', message: result.error?.message });
      const right = await testCredential({
        nodeTypes,
        credentialType: 'smsGatewayPostgresApi',
        data: server.settings as unknown as ICredentialDataDecryptedObject,
      });
      expect(right).toMatchObject({
        status: 'OK',
        message: expect.stringMatching(/^Connected to PostgreSQL at 127\.0\.0\.1:\d+, database "postgres" as "owner" \(PostgreSQL \d+/),
      });
      expect(logCapture.text()).not.toMatch(/Secret/);
      expect(JSON.stringify(result.error)).not.toMatch(/Secret/);
    } finally {
      server.stop();
    }
  });
});
