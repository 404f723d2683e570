import * as net from 'net';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { logCapture, testCredential } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox } from '../support/sandbox';
import { runPostgresBroadcast } from '../support/postgres-broadcast';
import { nodeTypes } from '../support/node-types';
import { LOCAL_POSTGRES, postgresSchema } from '../support/private-postgres';
import type { PostgresSchema } from '../support/private-postgres';

/**
 * A TCP relay to the local PostgreSQL that can go silent: `stall()` stops passing bytes either
 * way and keeps every socket open, as a database host that froze or a network that dropped
 * packets does (no RST, nothing the client is told).
 */
async function stallingRelay(): Promise<{ port: number; stall: () => void; close: () => Promise<void> }> {
  let stalled = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(LOCAL_POSTGRES.port, LOCAL_POSTGRES.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (d) => {
      if (!stalled) upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (!stalled) client.write(d);
    });
    client.on('end', () => !stalled && upstream.end());
    upstream.on('end', () => !stalled && client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stall: () => {
      stalled = true;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Bulk Alert Broadcast, Recipient Source = PostgreSQL Query, used carelessly or attacked, through
 * n8n's engine against the real PostgreSQL and the sandbox SMSC over TCP: what README "Recipients
 * from PostgreSQL" promises must still hold.
 */
describe('Bulk Alert Broadcast from PostgreSQL: careless and hostile use (real server, sandbox over TCP)', () => {
  let smsc: SandboxSmsc;
  let schema: PostgresSchema;
  let residents: string;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox();
    schema = await postgresSchema('nodehostile');
    residents = `${schema.name}.residents`;
    // 60 residents, 30 north (+447980000001..30) and 30 south (+447980000031..60); no primary key (an imported list).
    await schema.admin.query(`CREATE TABLE ${residents} (house int, phone text, district text)`);
    await schema.admin.query(
      `INSERT INTO ${residents} SELECT n, '+4479800000' || lpad(n::text, 2, '0'), CASE WHEN n <= 30 THEN 'north' ELSE 'south' END FROM generate_series(1, 60) n`,
    );
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
    await schema.drop();
  });

  const run = (parameters: IDataObject, inputItems: IDataObject[] = [{}], postgres: IDataObject = {}) =>
    runPostgresBroadcast(smsc, { postgresKeyColumn: 'house' }, parameters, inputItems, postgres);

  // README: the parameters may "come from the input item (`{{ [$json.district] }}`)", and
  // "everything else is as for a CSV file", whose items are each sent ("Several input items each
  // with a file are sent one after the other as one broadcast"). Two items naming two districts
  // must not reach only the first district, with a success summary.
  it('two input items, each naming its district in Query Parameters: both districts get it (or the node says it reads one)', async () => {
    const result = await run(
      {
        postgresQuery: `SELECT house, phone FROM ${residents} WHERE district = $1`,
        postgresQueryParameters: '={{ [$json.district] }}',
        broadcastId: `pg-items-${Date.now()}`,
      },
      [{ district: 'north' }, { district: 'south' }],
    );
    if (result.status === 'error') {
      expect(smsc.store.list()).toHaveLength(0);
      return;
    }
    expect(result.items('Broadcast')[0]).toMatchObject({ total: 60, accepted: 60 });
    expect(smsc.store.uniqueDestinations()).toBe(60);
  });

  // README: the key is checked "set and unique on every row (... paging by it would skip rows)";
  // a table without a key and a key made up in the query is what a careless operator writes.
  it('a key made up per read (gen_random_uuid() AS id): refused as Key Column before sending, or every resident gets it once', async () => {
    const result = await run({
      postgresQuery: `SELECT gen_random_uuid() AS id, phone FROM ${residents}`,
      postgresKeyColumn: 'id',
      postgresPageSize: 5,
      broadcastId: `pg-uuid-${Date.now()}`,
    });
    if (result.status === 'error') {
      expect(result.error?.description).toBe('Check "Key Column"');
      expect(smsc.store.list()).toHaveLength(0);
      return;
    }
    expect(smsc.store.uniqueDestinations()).toBe(60);
    expect(result.items('Broadcast')[0]).toMatchObject({ accepted: 60, duplicatesRemoved: 0 });
  });

  // README: "Each problem stops the node with an error naming the field: ... the credential's
  // Host, Port, User, Database or Password when the server cannot be reached". SSL on for a
  // server without TLS (the local one) is a credential setting too: the error must say which.
  it('SSL required by the credential, a server without TLS: an error naming the credential field, nothing sent', async () => {
    const result = await run({ postgresQuery: `SELECT house, phone FROM ${residents}` }, [{}], { ssl: 'require' });
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/PostgreSQL at 127\.0\.0\.1:5432/);
    expect(result.error?.description).toMatch(/^Check "(SSL|Host)" in the SMS Gateway PostgreSQL credential$/);
    const tested = await testCredential({
      nodeTypes,
      credentialType: 'smsGatewayPostgresApi',
      data: { ...LOCAL_POSTGRES, ssl: 'require' } as unknown as ICredentialDataDecryptedObject,
    });
    expect(tested).toMatchObject({ status: 'Error', message: expect.stringMatching(/SSL|TLS/) });
    expect(smsc.store.list()).toHaveLength(0);
  });

  // README: "a second failure, or any other error while reading, stops the broadcast after the
  // sends under way are recorded (resume it by ID)". A database that stops answering mid-run
  // (frozen host, dropped network: no RST) is such a failure; the run must end with an error
  // naming PostgreSQL, not wait on the page forever with the execution stuck. (The README names
  // no deadline; 90 s here is this test's bound, far above a page's read.)
  it('the database stops answering mid-run: the broadcast ends with an error, it does not wait forever', async () => {
    const relay = await stallingRelay();
    try {
      await schema.admin.query(`CREATE TABLE ${schema.name}.many (id int PRIMARY KEY, phone text)`);
      await schema.admin.query(`INSERT INTO ${schema.name}.many SELECT n, '+4479810' || lpad(n::text, 5, '0') FROM generate_series(1, 30000) n`);
      let stalledAt = 0;
      const timer = setInterval(() => {
        if (!stalledAt && smsc.stats.accepted >= 100) {
          stalledAt = Date.now();
          relay.stall();
        }
      }, 1);
      const running = run(
        { postgresQuery: `SELECT id, phone FROM ${schema.name}.many`, postgresKeyColumn: 'id', postgresPageSize: 1000, broadcastId: `pg-stall-${Date.now()}` },
        [{}],
        { port: relay.port },
      );
      let deadline: NodeJS.Timeout | undefined;
      const ended = await Promise.race([
        running.then(() => 'ended'),
        new Promise<string>((resolve) => {
          deadline = setTimeout(() => resolve('still waiting'), 90_000);
        }),
      ]);
      clearTimeout(deadline);
      clearInterval(timer);
      expect(stalledAt).toBeGreaterThan(0);
      expect(ended).toBe('ended');
      const result = await running;
      expect(result.status).toBe('error');
      expect(result.error?.message).toMatch(/PostgreSQL/);
      expect(smsc.stats.accepted).toBeLessThan(30000);
    } finally {
      await relay.close();
    }
  }, 150_000);

  // README: "the password never in any error, log or output". Hosting panels show a connection
  // string; pasted into Host, it carries the password into the error n8n shows and stores.
  it('a connection string pasted into Host: the password is in no error, log or credential test answer', async () => {
    const password = 'Pasted-S3cret-92';
    const postgres = { host: `postgresql://reader:${password}@127.0.0.1:5432/test`, password };
    const result = await run({ postgresQuery: `SELECT house, phone FROM ${residents}` }, [{}], postgres);
    expect(result.status).toBe('error');
    expect(result.error?.description).toBe('Check "Host" in the SMS Gateway PostgreSQL credential');
    expect(JSON.stringify(result.error)).not.toContain(password);
    expect(logCapture.text()).not.toContain(password);
    const tested = await testCredential({
      nodeTypes,
      credentialType: 'smsGatewayPostgresApi',
      data: { ...LOCAL_POSTGRES, ...postgres } as unknown as ICredentialDataDecryptedObject,
    });
    expect(tested.status).toBe('Error');
    expect(tested.message).not.toContain(password);
    expect(smsc.store.list()).toHaveLength(0);
  });
});
