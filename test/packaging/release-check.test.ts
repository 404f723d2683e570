/**
 * scripts/release-check.js, which the release workflow runs before `npm publish`, and the
 * project's own version and CHANGELOG.md: the version is a semantic version with its changelog
 * section, and a tag that does not match, a missing section or a pre-release are caught.
 */
import * as fs from 'fs';
import * as path from 'path';

import { execFile } from 'child_process';
import * as net from 'net';
import * as os from 'os';

type Registry = { tags: Record<string, string> } | null;
interface Release {
  version: string;
  distTag: string;
  reason: string;
  prerelease: boolean;
  notes: string;
  date: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkRelease, registryDistTags, SEMVER } = require('../../scripts/release-check') as {
  checkRelease: (input: {
    tag: string;
    manifest: { version?: unknown; repository?: unknown };
    changelog: string;
    registry?: Registry;
    distTag?: string;
    githubRepository?: string;
  }) => Release;
  registryDistTags: (name: string, npmArgs?: string[]) => { tags: Record<string, string> | null; problem?: string };
  SEMVER: RegExp;
};

const ROOT = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');

const CHANGELOG = `# Changelog

## [Unreleased]

## [1.3.0-rc.1] - 2026-12-20

### Added
- Something new

## [1.2.0] - 2026-12-10

### Fixed
- A fix
`;

describe('the project version and CHANGELOG.md', () => {
  it('package.json has a semantic version, and CHANGELOG.md a dated section for it with changes listed', () => {
    expect(manifest.version).toMatch(SEMVER);
    const release = checkRelease({ tag: `v${manifest.version}`, manifest, changelog });
    expect(release.notes).toMatch(/^- /m);
    expect(release.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('every released section heading is a semantic version with a date, newest first', () => {
    const headings = [...changelog.matchAll(/^## \[([^\]]+)\](?: - (\S+))?/gm)].map((m) => ({ version: m[1], date: m[2] }));
    expect(headings[0]).toEqual({ version: 'Unreleased', date: undefined });
    const released = headings.slice(1);
    expect(released.length).toBeGreaterThan(0);
    for (const { version, date } of released) {
      expect(version).toMatch(SEMVER);
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const dates = released.map((h) => h.date!);
    expect([...dates].sort().reverse()).toEqual(dates);
  });
});

describe('checkRelease (scripts/release-check.js)', () => {
  it('accepts a matching tag and returns the section as release notes, for npm dist-tag latest', () => {
    expect(checkRelease({ tag: 'v1.2.0', manifest: { version: '1.2.0' }, changelog: CHANGELOG })).toEqual({
      version: '1.2.0',
      distTag: 'latest',
      reason: 'no "latest" on the registry yet',
      prerelease: false,
      notes: '### Fixed\n- A fix',
      date: '2026-12-10',
    });
  });

  it('publishes a pre-release under the dist-tag next, so n8n keeps installing the stable version', () => {
    expect(checkRelease({ tag: 'v1.3.0-rc.1', manifest: { version: '1.3.0-rc.1' }, changelog: CHANGELOG })).toMatchObject({
      distTag: 'next',
      notes: '### Added\n- Something new',
    });
  });

  it('refuses a tag that is not v + the package version, saying both', () => {
    expect(() => checkRelease({ tag: 'v1.2.1', manifest: { version: '1.2.0' }, changelog: CHANGELOG })).toThrow(
      'the tag "v1.2.1" does not match package.json\'s version 1.2.0',
    );
    expect(() => checkRelease({ tag: '1.2.0', manifest: { version: '1.2.0' }, changelog: CHANGELOG })).toThrow(/tag the commit v1\.2\.0/);
  });

  it('does not suggest setting the version to the one it already is (a tag without its "v")', () => {
    let message = '';
    try {
      checkRelease({ tag: '1.2.0', manifest: { version: '1.2.0' }, changelog: CHANGELOG });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('the tag "1.2.0" does not match package.json\'s version 1.2.0 (release tags are "v" + the version): tag the commit v1.2.0');
    expect(() => checkRelease({ tag: 'release-7', manifest: { version: '1.2.0' }, changelog: CHANGELOG })).toThrow(
      /^the tag "release-7" does not match package.json's version 1\.2\.0: tag the commit v1\.2\.0$/,
    );
  });

  it.each([['1.2'], ['v1.2.0'], ['01.2.0'], ['1.2.0-'], [undefined]])('refuses the version %p as not semantic', (version) => {
    expect(() => checkRelease({ tag: `v${String(version)}`, manifest: { version }, changelog: CHANGELOG })).toThrow(/must be a semantic version/);
  });

  it('refuses a version without a changelog section, or with a section that lists nothing', () => {
    expect(() => checkRelease({ tag: 'v1.4.0', manifest: { version: '1.4.0' }, changelog: CHANGELOG })).toThrow(
      'CHANGELOG.md has no "## [1.4.0] - YYYY-MM-DD" section',
    );
    const empty = CHANGELOG.replace('### Fixed\n- A fix\n', 'Nothing yet.\n');
    expect(() => checkRelease({ tag: 'v1.2.0', manifest: { version: '1.2.0' }, changelog: empty })).toThrow(/lists no changes/);
  });

  it('does not take 1.2.0 for 1.2.0-rc.1 or 11.2.0 (the version is matched whole)', () => {
    const only = '## [11.2.0] - 2026-01-01\n- x\n\n## [1.2.0-rc.1] - 2026-01-02\n- y\n';
    expect(() => checkRelease({ tag: 'v1.2.0', manifest: { version: '1.2.0' }, changelog: only })).toThrow(/no "## \[1\.2\.0\]/);
  });
});

describe('the npm dist-tag: latest only for the highest version', () => {
  const BACKPORT = `## [1.2.5] - 2026-12-20\n- A backported fix\n\n## [2.1.0-rc.10] - 2026-12-19\n- Candidate\n\n## [2.1.0] - 2026-12-18\n- New\n`;
  const release = (version: string, registry: Registry, distTag?: string): Release =>
    checkRelease({ tag: `v${version}`, manifest: { version }, changelog: BACKPORT, registry, distTag });

  it('a stable backport (1.2.5 after 2.0.0) goes to latest-1.2 and leaves latest on 2.0.0 (it used to take latest)', () => {
    expect(release('1.2.5', { tags: { latest: '2.0.0' } })).toMatchObject({
      distTag: 'latest-1.2',
      reason: 'the registry\'s "latest" is 2.0.0, a higher version: "latest" stays there',
    });
  });

  it("a version above the registry's latest, or the first one published, takes latest", () => {
    expect(release('2.1.0', { tags: { latest: '2.0.0', next: '2.1.0-rc.2' } })).toMatchObject({
      distTag: 'latest',
      reason: 'higher than the registry\'s "latest" 2.0.0',
    });
    expect(release('1.2.5', { tags: {} })).toMatchObject({ distTag: 'latest', reason: 'no "latest" on the registry yet' });
  });

  it("pre-releases compare by semver precedence with the registry's next (rc.10 after rc.2), never with latest", () => {
    expect(release('2.1.0-rc.10', { tags: { latest: '2.0.0', next: '2.1.0-rc.2' } })).toMatchObject({ distTag: 'next', prerelease: true });
    expect(release('2.1.0-rc.10', { tags: { latest: '2.0.0', next: '3.0.0-beta.1' } })).toMatchObject({ distTag: 'next-2.1' });
  });

  it('refuses a version the registry already has under that tag', () => {
    expect(() => release('1.2.5', { tags: { latest: '1.2.5' } })).toThrow(
      '1.2.5 is already published (the registry\'s "latest" is 1.2.5): a version is published once, bump it',
    );
  });

  it('when the registry cannot be read, it needs the dist-tag given, and says which to give', () => {
    expect(() => release('1.2.5', null)).toThrow(
      "the registry's dist-tags could not be read, so whether 1.2.5 is the highest version is unknown: give the dist-tag with --dist-tag (or RELEASE_DIST_TAG): latest if it is, latest-1.2 if it is a backport",
    );
    expect(release('1.2.5', null, 'latest')).toMatchObject({ distTag: 'latest', reason: 'as given (the registry could not be read)' });
  });

  it('a given latest is still refused when the registry shows a higher latest; a name npm refuses is refused', () => {
    expect(() => release('1.2.5', { tags: { latest: '2.0.0' } }, 'latest')).toThrow(
      'the dist-tag "latest" would move "latest" back from 2.0.0 to 1.2.5: publish it as latest-1.2',
    );
    expect(release('1.2.5', { tags: { latest: '2.0.0' } }, 'lts')).toMatchObject({ distTag: 'lts' });
    for (const bad of ['1.x', 'v1.2.5', '1.2.5', '']) expect(() => release('1.2.5', null, bad)).toThrow(/is not one npm accepts/);
  });
});

describe('provenance: package.json repository.url is the repository the workflow runs in', () => {
  const check =
    (repository: unknown, githubRepository = 'Acme/sms-gateway') =>
    () =>
      checkRelease({ tag: 'v1.2.0', manifest: { version: '1.2.0', repository }, changelog: CHANGELOG, githubRepository });

  it('accepts the same repository however npm lets it be written', () => {
    for (const url of ['git+https://github.com/acme/sms-gateway.git', 'https://github.com/Acme/sms-gateway', 'git+ssh://git@github.com/acme/sms-gateway.git']) {
      expect(check({ type: 'git', url })).not.toThrow();
    }
    expect(check('https://github.com/acme/sms-gateway')).not.toThrow();
  });

  it("refuses another repository (a fork) or none, before the build, instead of npm's E422 after it", () => {
    expect(check({ type: 'git', url: 'git+https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway.git' })).toThrow(
      'package.json\'s repository.url is "git+https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway.git", but this workflow runs in Acme/sms-gateway: npm refuses provenance for it (E422); set repository.url to "git+https://github.com/Acme/sms-gateway.git"',
    );
    expect(check(undefined)).toThrow(/repository\.url is null, but this workflow runs in Acme\/sms-gateway/);
    expect(check({ url: 'git+https://github.com/acme/sms-gateway-old.git' })).toThrow(/E422/);
  });

  it("this project's repository.url names a GitHub repository", () => {
    const url = (manifest as unknown as { repository: { url: string } }).repository.url;
    const [, owner, name] = /github\.com\/([^/]+)\/([^/]+?)\.git$/.exec(url) ?? [];
    expect(check({ url }, `${owner}/${name}`)).not.toThrow();
  });
});

describe('registryDistTags (npm view against the registry npm is configured for)', () => {
  it("reads a published package's dist-tags", () => {
    const { tags } = registryDistTags('semver');
    expect(tags?.latest).toMatch(SEMVER);
  });

  it('a package never published has none (E404): its first version takes latest', () => {
    expect(registryDistTags(`n8n-nodes-sms-gateway-never-published-${process.pid}`)).toEqual({ tags: {} });
  });

  it("an unreachable registry is reported as unreadable, with npm's reason", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const answer = registryDistTags('semver', [`--registry=http://127.0.0.1:${port}/`, '--prefer-online']);
    expect(answer.tags).toBeNull();
    expect(answer.problem).toMatch(/ECONNREFUSED|request to .* failed/);
  });
});

describe('node scripts/release-check.js (the command the release workflow runs)', () => {
  const script = path.join(ROOT, 'scripts', 'release-check.js');
  const runScript = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [script, ...args],
        { cwd: ROOT, env: { ...process.env, GITHUB_OUTPUT: '', RELEASE_DIST_TAG: '', GITHUB_REPOSITORY: '', ...env } },
        (error, stdout, stderr) => {
          resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
        },
      );
    });

  it('--notes without a file is a clear error, not a raw Node error (it used to say \'The "path" argument must be of type string\')', async () => {
    const result = await runScript([`v${manifest.version}`, '--notes']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'release check failed: --notes needs a value (the file to write the release notes to); usage: node scripts/release-check.js <tag> [--notes <file>] [--dist-tag <tag>]',
    );
  });

  it('a notes file it cannot write is named in the error', async () => {
    const result = await runScript([`v${manifest.version}`, '--notes', path.join(os.tmpdir(), `no-such-dir-${process.pid}`, 'notes.md')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/release check failed: could not write the release notes to ".*no-such-dir-\d+\/notes\.md": ENOENT/);
  });

  it("checks this project's version, writes the notes and the workflow outputs, and says which dist-tag and why", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-check-'));
    try {
      const notes = path.join(dir, 'notes.md');
      const outputs = path.join(dir, 'outputs');
      const result = await runScript([`v${manifest.version}`, '--notes', notes], { GITHUB_OUTPUT: outputs });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      // Not published yet: the registry answers E404, so this first version takes latest.
      expect(result.stdout).toMatch(
        new RegExp(`^release ${manifest.version.replace(/\./g, '\\.')} \\(\\d{4}-\\d{2}-\\d{2}\\) as npm dist-tag "latest": no "latest" on the registry yet`),
      );
      expect(fs.readFileSync(notes, 'utf8')).toMatch(/^- /m);
      expect(fs.readFileSync(outputs, 'utf8')).toBe(`dist-tag=latest\nversion=${manifest.version}\nprerelease=false\nlatest=true\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
