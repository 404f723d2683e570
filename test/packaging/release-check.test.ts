/**
 * scripts/release-check.js, which the release workflow runs before `npm publish`, and the
 * project's own version and CHANGELOG.md: the version is a semantic version with its changelog
 * section, and a tag that does not match, a missing section or a pre-release are caught.
 */
import * as fs from 'fs';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkRelease, SEMVER } = require('../../scripts/release-check') as {
  checkRelease: (input: { tag: string; manifest: { version?: unknown }; changelog: string }) => { version: string; distTag: string; notes: string; date: string };
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
      version: '1.2.0', distTag: 'latest', notes: '### Fixed\n- A fix', date: '2026-12-10',
    });
  });

  it('publishes a pre-release under the dist-tag next, so n8n keeps installing the stable version', () => {
    expect(checkRelease({ tag: 'v1.3.0-rc.1', manifest: { version: '1.3.0-rc.1' }, changelog: CHANGELOG })).toMatchObject({ distTag: 'next', notes: '### Added\n- Something new' });
  });

  it('refuses a tag that is not v + the package version, saying both', () => {
    expect(() => checkRelease({ tag: 'v1.2.1', manifest: { version: '1.2.0' }, changelog: CHANGELOG })).toThrow('the tag "v1.2.1" does not match package.json\'s version 1.2.0');
    expect(() => checkRelease({ tag: '1.2.0', manifest: { version: '1.2.0' }, changelog: CHANGELOG })).toThrow(/tag the commit v1\.2\.0/);
  });

  it.each([['1.2'], ['v1.2.0'], ['01.2.0'], ['1.2.0-'], [undefined]])('refuses the version %p as not semantic', (version) => {
    expect(() => checkRelease({ tag: `v${String(version)}`, manifest: { version }, changelog: CHANGELOG })).toThrow(/must be a semantic version/);
  });

  it('refuses a version without a changelog section, or with a section that lists nothing', () => {
    expect(() => checkRelease({ tag: 'v1.4.0', manifest: { version: '1.4.0' }, changelog: CHANGELOG })).toThrow('CHANGELOG.md has no "## [1.4.0] - YYYY-MM-DD" section');
    const empty = CHANGELOG.replace('### Fixed\n- A fix\n', 'Nothing yet.\n');
    expect(() => checkRelease({ tag: 'v1.2.0', manifest: { version: '1.2.0' }, changelog: empty })).toThrow(/lists no changes/);
  });

  it('does not take 1.2.0 for 1.2.0-rc.1 or 11.2.0 (the version is matched whole)', () => {
    const only = '## [11.2.0] - 2026-01-01\n- x\n\n## [1.2.0-rc.1] - 2026-01-02\n- y\n';
    expect(() => checkRelease({ tag: 'v1.2.0', manifest: { version: '1.2.0' }, changelog: only })).toThrow(/no "## \[1\.2\.0\]/);
  });
});
