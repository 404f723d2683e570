/**
 * Credential type names are saved in every credential and workflow and cannot change after the
 * first publish: each ends in "Api", as n8n's community-node rules require, and package.json
 * declares exactly these.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ICredentialType } from 'n8n-workflow';

const ROOT = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { n8n: { credentials: string[] } };

/** The credential classes a declared dist file compiles from. */
function credentialsOf(distFile: string): ICredentialType[] {
  const source = path.join(ROOT, distFile.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
  const exported = require(source) as Record<string, new () => ICredentialType>;
  return Object.values(exported).map((Class) => new Class());
}

describe('credential type names', () => {
  const declared = manifest.n8n.credentials.flatMap(credentialsOf);

  it('package.json declares every credential file there is', () => {
    const files = fs.readdirSync(path.join(ROOT, 'credentials')).filter((f) => f.endsWith('.credentials.ts'));
    expect(manifest.n8n.credentials.map((f) => path.basename(f, '.js')).sort()).toEqual(files.map((f) => path.basename(f, '.ts')).sort());
  });

  it.each(manifest.n8n.credentials)('%s: each type name ends in "Api" and matches its class', (file) => {
    for (const credential of credentialsOf(file)) {
      expect(credential.name).toMatch(/Api$/);
      expect(`${credential.name[0].toUpperCase()}${credential.name.slice(1)}.credentials.js`).toBe(path.basename(file));
    }
  });

  it('has six credentials, each with its own icon', () => {
    expect(declared.map((c) => c.name).sort()).toEqual(['gsmModemApi', 'smppApi', 'smppServerApi', 'smsGatewayPostgresApi', 'smsGatewayRedisApi', 'smsOtpApi']);
    const icons = declared.map((c) => JSON.stringify(c.icon));
    expect(new Set(icons).size).toBe(icons.length);
  });
});
