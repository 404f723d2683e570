'use strict';
// Run by the release workflow before `npm publish`: the pushed tag must be `v` + the version in
// package.json, that version a semantic version, and CHANGELOG.md must have its section (whose
// text becomes the GitHub release notes). Prints the npm dist-tag: `latest`, or `next` for a
// pre-release (1.2.0-rc.1), so a release candidate never becomes what n8n's installer picks.
//
//   node scripts/release-check.js v0.2.0 [--notes <file>]   (writes dist-tag=... to $GITHUB_OUTPUT when set)

const fs = require('node:fs');
const path = require('node:path');

// The regular expression semver.org gives for a valid version (semver 2.0.0, "Is there a
// suggested regular expression?"), without its optional leading "v".
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** The text under `## [version] - YYYY-MM-DD` up to the next `## ` heading, or null. */
function changelogSection(changelog, version) {
  const lines = changelog.split('\n');
  const escaped = version.replace(/[.+]/g, (c) => `\\${c}`);
  const heading = new RegExp(`^## \\[${escaped}\\] - (\\d{4}-\\d{2}-\\d{2})\\s*$`);
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) return null;
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  return { date: heading.exec(lines[start])[1], text: lines.slice(start + 1, end < 0 ? undefined : end).join('\n').trim() };
}

/**
 * @param {{ tag: string, manifest: { name?: string, version?: string }, changelog: string }} input
 * @returns {{ version: string, distTag: 'latest' | 'next', notes: string, date: string }}
 */
function checkRelease({ tag, manifest, changelog }) {
  const version = manifest.version;
  if (typeof version !== 'string' || !SEMVER.test(version)) {
    throw new Error(`package.json "version" must be a semantic version (MAJOR.MINOR.PATCH, e.g. 1.4.0 or 2.0.0-rc.1), got ${JSON.stringify(version)}`);
  }
  if (tag !== `v${version}`) {
    throw new Error(`the tag "${tag}" does not match package.json's version ${version}: tag the commit v${version}, or set the version to ${tag.replace(/^v/, '')}`);
  }
  const section = changelogSection(changelog, version);
  if (!section) throw new Error(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section: say what this version changes for users before releasing it`);
  if (!/^[-*] /m.test(section.text)) throw new Error(`CHANGELOG.md's section for ${version} lists no changes ("- ..." lines)`);
  return { version, distTag: SEMVER.exec(version)[4] ? 'next' : 'latest', notes: section.text, date: section.date };
}

function main(argv) {
  const tag = argv[0];
  if (!tag) throw new Error('usage: node scripts/release-check.js <tag> [--notes <file>]');
  const root = path.resolve(__dirname, '..');
  const result = checkRelease({
    tag,
    manifest: JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')),
    changelog: fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'),
  });
  const notesAt = argv.indexOf('--notes');
  if (notesAt >= 0) fs.writeFileSync(argv[notesAt + 1], `${result.notes}\n`);
  if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `dist-tag=${result.distTag}\nversion=${result.version}\n`);
  console.log(`release ${result.version} (${result.date}) as npm dist-tag "${result.distTag}"`);
}

module.exports = { checkRelease, changelogSection, SEMVER };

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`release check failed: ${error.message}`);
    process.exit(1);
  }
}
