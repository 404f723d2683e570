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
import { SmsGatewayPostgresApi } from '../../credentials/SmsGatewayPostgresApi.credentials';
import { SmsGatewayRedisApi } from '../../credentials/SmsGatewayRedisApi.credentials';
import { SmsOtpApi } from '../../credentials/SmsOtpApi.credentials';

const ROOT = path.join(__dirname, '..', '..');
const REPOSITORY = 'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors GitHub gives a Markdown file's headings: not lines in code blocks; a repeated heading gets "-1", "-2". */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced || !/^#{1,6} /.test(line)) continue;
    // A link in a heading shows (and is slugged as) its text.
    const base = anchorOf(line.replace(/^#+ /, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const anchors = anchorsOf(readme);

/** Files under `dir` (relative to the root) with these endings. */
function filesUnder(dir: string, endings: RegExp): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(relative, endings);
    return endings.test(entry.name) ? [relative] : [];
  });
}

/**
 * Every other link to a README section: the README's own "(#...)" links, the docs' "README.md#...",
 * and the repository's page with an anchor anywhere in what n8n shows or runs (hints, errors, examples).
 */
const otherLinks: Array<[string, string]> = [
  ...[...readme.matchAll(/\]\(#([^)\s]+)\)/g)].map((m): [string, string] => ['README.md', m[1]]),
  ...filesUnder('docs', /\.md$/).flatMap((file) =>
    [...fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(/README\.md#([\w-]+)/g)].map((m): [string, string] => [file, m[1]]),
  ),
  ...['nodes', 'credentials', 'src', 'examples', 'scripts']
    .flatMap((dir) => filesUnder(dir, /\.(ts|js|json|html)$/))
    .flatMap((file) =>
      [...fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(/n8n-nodes-sms-gateway(?:\/blob\/main\/README\.md)?#([\w-]+)/g)].map(
        (m): [string, string] => [file, m[1]],
      ),
    ),
];

const credentials: ICredentialType[] = [
  new SmppApi(),
  new GsmModemApi(),
  new SmppServerApi(),
  new SmsOtpApi(),
  new SmsGatewayRedisApi(),
  new SmsGatewayPostgresApi(),
];
const codexFiles = fs
  .readdirSync(path.join(ROOT, 'nodes'))
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

  it("checks the README's own section links and every other one found", () => {
    expect(otherLinks.filter(([file]) => file === 'README.md').length).toBeGreaterThan(3);
    expect(otherLinks.filter(([file]) => file.startsWith('credentials')).length).toBe(credentials.length);
  });

  it.each(otherLinks)('%s links to #%s, a README section that exists', (_file, anchor) => {
    expect({ anchor, exists: anchors.has(anchor) }).toEqual({ anchor, exists: true });
  });

  it('counts a heading in a code block as none, and a repeated one as GitHub numbers it', () => {
    expect([...anchorsOf('# Setup\n```bash\n# not a heading\n```\n## Setup\n## [Queue mode](#queue-mode)')]).toEqual(['setup', 'setup-1', 'queue-mode']);
  });

  it('reads headings the way GitHub does', () => {
    expect(anchorOf('Cell Broadcast (Broadcast Alert, Resource = Cell Broadcast)')).toBe('cell-broadcast-broadcast-alert-resource--cell-broadcast');
    expect(anchorOf('Set-up: two commands on a fresh clone')).toBe('set-up-two-commands-on-a-fresh-clone');
  });
});
