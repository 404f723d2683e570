/**
 * Every documentation link n8n shows (a credential's "Docs" link, a node's codex documentation)
 * points at a section of the README that exists: a link to a missing anchor lands the user at
 * the top of a long page.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ICredentialType } from 'n8n-workflow';
import { GsmModemApi } from '../../credentials/GsmModemApi.credentials';
import { SmppApi } from '../../credentials/SmppApi.credentials';
import { SmppServerApi } from '../../credentials/SmppServerApi.credentials';
import { SmsGatewayRedisApi } from '../../credentials/SmsGatewayRedisApi.credentials';
import { SmsOtpApi } from '../../credentials/SmsOtpApi.credentials';

const ROOT = path.join(__dirname, '..', '..');
const REPOSITORY = 'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const anchors = new Set(readme.split('\n').filter((line) => /^#{1,6} /.test(line)).map((line) => anchorOf(line.replace(/^#+ /, ''))));

const credentials: ICredentialType[] = [new SmppApi(), new GsmModemApi(), new SmppServerApi(), new SmsOtpApi(), new SmsGatewayRedisApi()];
const codexFiles = fs.readdirSync(path.join(ROOT, 'nodes'))
  .map((folder) => path.join(ROOT, 'nodes', folder, `${folder}.node.json`))
  .filter((file) => fs.existsSync(file));

const links: Array<[string, string]> = [
  ...credentials.map((c): [string, string] => [`credential ${c.displayName}`, String(c.documentationUrl)]),
  ...codexFiles.flatMap((file) => {
    const codex = JSON.parse(fs.readFileSync(file, 'utf8')) as { resources?: { primaryDocumentation?: Array<{ url: string }> } };
    return (codex.resources?.primaryDocumentation ?? []).map((doc): [string, string] => [`codex ${path.basename(file)}`, doc.url]);
  }),
];

describe('documentation links', () => {
  it('covers every credential and node', () => {
    expect(links).toHaveLength(credentials.length + 5);
  });

  it.each(links)('%s: %s is a README section that exists', (_what, url) => {
    expect(url.startsWith(`${REPOSITORY}#`)).toBe(true);
    const anchor = url.slice(url.indexOf('#') + 1);
    expect({ anchor, exists: anchors.has(anchor) }).toEqual({ anchor, exists: true });
  });

  it('reads headings the way GitHub does', () => {
    expect(anchorOf('Cell Broadcast (Broadcast Alert, Resource = Cell Broadcast)')).toBe('cell-broadcast-broadcast-alert-resource--cell-broadcast');
    expect(anchorOf('Set-up: two commands on a fresh clone')).toBe('set-up-two-commands-on-a-fresh-clone');
  });
});
