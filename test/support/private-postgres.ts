import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Pool } from 'pg';
import type { PostgresSettings } from '../../src/broadcast';

/** The PostgreSQL on this machine (CI's too): 127.0.0.1:5432, trust, database `test`. */
export const LOCAL_POSTGRES: PostgresSettings = { host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres', ssl: 'disable' };

let schemas = 0;

/** A schema of the test's own in the local server, and a pool to fill it; `drop()` removes it with its tables. */
export interface PostgresSchema {
  name: string;
  admin: Pool;
  drop(): Promise<void>;
}

export async function postgresSchema(label: string): Promise<PostgresSchema> {
  const name = `sms_gw_${label}_${process.pid}_${++schemas}`;
  const admin = new Pool({ ...LOCAL_POSTGRES, ssl: false, max: 2 });
  await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE; CREATE SCHEMA ${name}`);
  return {
    name,
    admin,
    drop: async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await admin.end();
    },
  };
}

/**
 * `rows` residents, ids 10, 20, 30... (gaps, so rows can be inserted behind the pages read): 1%
 * numbers that are not numbers, 1% duplicates written nationally (the row before's number).
 */
export async function fillResidents(
  schema: PostgresSchema,
  rows: number,
  number: (i: number) => string,
): Promise<{ unique: number; invalid: number; duplicates: number }> {
  await schema.admin.query(`CREATE TABLE ${schema.name}.residents (id bigint PRIMARY KEY, phone text, region text)`);
  let unique = 0;
  let invalid = 0;
  let duplicates = 0;
  const phones: string[] = [];
  for (let i = 0; i < rows; i++) {
    if (i % 100 === 7) {
      phones.push(`not a number ${i}`);
      invalid++;
    } else if (i % 100 === 42) {
      phones.push(`0${number(i - 1).slice(3)}`);
      duplicates++;
    } else {
      phones.push(number(i));
      unique++;
    }
  }
  await schema.admin.query(
    `INSERT INTO ${schema.name}.residents (id, phone, region) SELECT (n * 10)::bigint, p, 'north' FROM unnest($1::text[]) WITH ORDINALITY AS t(p, n)`,
    [phones],
  );
  return { unique, invalid, duplicates };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A PostgreSQL server of the test's own that asks for a password (the local one trusts everyone). */
export interface PasswordPostgres {
  settings: PostgresSettings;
  stop(): void;
}

function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const version = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return version ? path.join(root, version, 'bin') : null;
}

/**
 * initdb with scram-sha-256 and a password, started on a free port; null (the test says it is
 * skipped) where PostgreSQL's server binaries are missing. initdb refuses to run as root: as root
 * it runs as the `postgres` user the Debian package makes.
 */
export async function startPasswordPostgres(password: string): Promise<PasswordPostgres | null> {
  const bin = postgresBin();
  if (!bin) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gw-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]): void => {
    const cmd = path.join(bin, tool);
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'ignore' });
    else execFileSync(cmd, args, { stdio: 'ignore' });
  };
  fs.writeFileSync(path.join(dir, 'pw'), password);
  if (asRoot) execFileSync('chown', ['-R', 'postgres', dir]);
  const port = await freePort();
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'owner', '--auth=scram-sha-256', `--pwfile=${path.join(dir, 'pw')}`, '-N']);
  run('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-w', '-l', path.join(dir, 'log'), 'start']);
  return {
    settings: { host: '127.0.0.1', port, database: 'postgres', user: 'owner', password, ssl: 'disable' },
    stop: () => {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
