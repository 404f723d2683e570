'use strict';
// Run by the release workflow before `npm publish`: the pushed tag must be `v` + the version in
// package.json, that version a semantic version, and CHANGELOG.md must have its section (whose
// text becomes the GitHub release notes). It also picks the npm dist-tag:
//
// - `latest` (what n8n's installer and `npm install n8n-nodes-sms-gateway` get) only for a stable
//   version higher than the registry's current `latest`: a backport such as 1.2.5 published
//   after 2.0.0 goes to `latest-1.2`, so `latest` never moves backwards;
// - `next` likewise for a pre-release (1.2.0-rc.1) higher than the registry's `next`, else
//   `next-<major>.<minor>`: a release candidate never becomes what n8n's installer picks.
//
// On GitHub Actions it also checks that package.json's repository.url is the repository the
// workflow runs in: npm refuses provenance otherwise (E422), after the whole build.
//
// The registry's dist-tags are read with `npm view`. A package never published (E404) has none:
// the first version becomes `latest`. When the registry cannot be read, the check fails unless the
// dist-tag is given (--dist-tag, or RELEASE_DIST_TAG in the environment); a given `latest` is still
// refused when the registry shows a higher `latest`.
//
//   node scripts/release-check.js v0.2.0 [--notes <file>] [--dist-tag <tag>]
//   (writes dist-tag=..., version=..., prerelease=..., latest=... to $GITHUB_OUTPUT when set)

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const semver = require('semver');

// The regular expression semver.org gives for a valid version (semver 2.0.0, "Is there a
// suggested regular expression?"), without its optional leading "v".
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

const USAGE = 'usage: node scripts/release-check.js <tag> [--notes <file>] [--dist-tag <tag>]';

/** The text under `## [version] - YYYY-MM-DD` up to the next `## ` heading, or null. */
function changelogSection(changelog, version) {
  const lines = changelog.split('\n');
  const escaped = version.replace(/[.+]/g, (c) => `\\${c}`);
  const heading = new RegExp(`^## \\[${escaped}\\] - (\\d{4}-\\d{2}-\\d{2})\\s*$`);
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) return null;
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  return {
    date: heading.exec(lines[start])[1],
    text: lines
      .slice(start + 1, end < 0 ? undefined : end)
      .join('\n')
      .trim(),
  };
}

/** The mismatch between a tag and the version, with the fixes that make sense for that tag. */
function tagMismatch(tag, version) {
  const tagged = tag.replace(/^v/, '');
  const fixes = [`tag the commit v${version}`];
  // Suggest changing the version only when the tag names another valid version.
  if (tagged !== version && SEMVER.test(tagged)) fixes.push(`set the version to ${tagged}`);
  const why = tagged === version ? ` (release tags are "v" + the version)` : '';
  return `the tag "${tag}" does not match package.json's version ${version}${why}: ${fixes.join(', or ')}`;
}

/** "git+https://github.com/Owner/Repo.git" -> "owner/repo"; null when not a GitHub URL. */
function githubRepositoryOf(url) {
  const match = /^(?:git\+)?(?:https?|ssh|git):\/\/(?:git@)?github\.com[/:]([^/]+)\/([^/]+?)(?:\.git)?\/?$/i.exec(url ?? '');
  return match ? `${match[1]}/${match[2]}`.toLowerCase() : null;
}

/**
 * npm refuses provenance (E422, "Failed to validate repository information") when package.json's
 * repository.url is not the GitHub repository the workflow runs in: say so before building.
 */
function checkRepository(manifest, githubRepository) {
  if (!githubRepository) return;
  const url = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  if (githubRepositoryOf(url) !== githubRepository.toLowerCase()) {
    throw new Error(
      `package.json's repository.url is ${JSON.stringify(url ?? null)}, but this workflow runs in ${githubRepository}: npm refuses provenance for it (E422); set repository.url to "git+https://github.com/${githubRepository}.git"`,
    );
  }
}

/** A dist-tag name npm accepts: not empty, not itself a version or range (npm refuses those). */
function checkDistTagName(name) {
  if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(name) || semver.validRange(name) !== null) {
    throw new Error(`the dist-tag "${name}" is not one npm accepts: a name such as latest, next or latest-1.2 (not a version or range)`);
  }
}

/**
 * The dist-tag for `version`, and why.
 * @param {string} version
 * @param {{ tags: Record<string, string> } | null} registry  null: the registry could not be read
 * @param {string | undefined} given  a dist-tag named by the person releasing
 */
function chooseDistTag(version, registry, given) {
  const prerelease = semver.prerelease(version) !== null;
  const channel = prerelease ? 'next' : 'latest';
  const current = registry?.tags[channel];
  if (current !== undefined && semver.valid(current) && semver.eq(current, version)) {
    throw new Error(`${version} is already published (the registry's "${channel}" is ${current}): a version is published once, bump it`);
  }
  const below = current !== undefined && semver.valid(current) !== null && semver.lt(version, current);
  const line = `${channel}-${semver.major(version)}.${semver.minor(version)}`;
  if (given !== undefined) {
    checkDistTagName(given);
    if (below && given === channel) {
      throw new Error(`the dist-tag "${given}" would move "${channel}" back from ${current} to ${version}: publish it as ${line}`);
    }
    return { distTag: given, reason: registry ? 'as given' : 'as given (the registry could not be read)' };
  }
  if (!registry) {
    throw new Error(
      `the registry's dist-tags could not be read, so whether ${version} is the highest version is unknown: give the dist-tag with --dist-tag (or RELEASE_DIST_TAG): ${channel} if it is, ${line} if it is a backport`,
    );
  }
  if (below) return { distTag: line, reason: `the registry's "${channel}" is ${current}, a higher version: "${channel}" stays there` };
  return { distTag: channel, reason: current === undefined ? `no "${channel}" on the registry yet` : `higher than the registry's "${channel}" ${current}` };
}

/**
 * @param {{ tag: string, manifest: { name?: string, version?: string, repository?: string | { url?: string } },
 *   changelog: string, registry?: { tags: Record<string, string> } | null, distTag?: string,
 *   githubRepository?: string }} input
 *   registry: the package's dist-tags ({ tags: {} } when never published); null when unreadable.
 *   Left out, the dist-tag is chosen as for a package never published.
 *   githubRepository: "owner/name" the workflow runs in ($GITHUB_REPOSITORY), checked against
 *   package.json's repository.url.
 * @returns {{ version: string, distTag: string, reason: string, prerelease: boolean, notes: string, date: string }}
 */
function checkRelease({ tag, manifest, changelog, registry = { tags: {} }, distTag, githubRepository }) {
  const version = manifest.version;
  if (typeof version !== 'string' || !SEMVER.test(version)) {
    throw new Error(`package.json "version" must be a semantic version (MAJOR.MINOR.PATCH, e.g. 1.4.0 or 2.0.0-rc.1), got ${JSON.stringify(version)}`);
  }
  if (tag !== `v${version}`) throw new Error(tagMismatch(tag, version));
  const section = changelogSection(changelog, version);
  if (!section) throw new Error(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section: say what this version changes for users before releasing it`);
  if (!/^[-*] /m.test(section.text)) throw new Error(`CHANGELOG.md's section for ${version} lists no changes ("- ..." lines)`);
  checkRepository(manifest, githubRepository);
  const chosen = chooseDistTag(version, registry, distTag);
  return { version, ...chosen, prerelease: semver.prerelease(version) !== null, notes: section.text, date: section.date };
}

/**
 * The package's dist-tags on the registry npm is configured for: { tags } (empty when the package
 * was never published), or null when the registry cannot be read (the error is in `problem`).
 */
function registryDistTags(name, npmArgs = []) {
  const result = spawnSync('npm', ['view', name, 'dist-tags', '--json', '--fetch-retries=0', ...npmArgs], { encoding: 'utf8', timeout: 60_000 });
  let answer;
  try {
    answer = JSON.parse(result.stdout || 'null');
  } catch {
    answer = null;
  }
  if (result.status === 0 && answer && typeof answer === 'object') return { tags: answer };
  if (answer?.error?.code === 'E404') return { tags: {} };
  const problem = answer?.error?.summary || result.error?.message || (result.stderr || '').trim().split('\n')[0] || `npm exited with ${result.status}`;
  return { tags: null, problem };
}

function parseCommandLine(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { notes: { type: 'string' }, 'dist-tag': { type: 'string' } } });
  } catch (error) {
    const option = /'(--[a-z-]+)/.exec(error.message)?.[1];
    if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option)
      throw new Error(`${option} needs a value (${option === '--notes' ? 'the file to write the release notes to' : 'a dist-tag name'}); ${USAGE}`);
    if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) throw new Error(`unknown option "${option}"; ${USAGE}`);
    throw new Error(`${error.message}; ${USAGE}`);
  }
  const [tag, ...extra] = parsed.positionals;
  if (!tag) throw new Error(USAGE);
  if (extra.length > 0) throw new Error(`unexpected argument "${extra[0]}"; ${USAGE}`);
  const { notes, 'dist-tag': distTag } = parsed.values;
  if (notes !== undefined && notes.trim() === '') throw new Error(`--notes needs a file name, got an empty one; ${USAGE}`);
  if (distTag !== undefined && distTag.trim() === '') throw new Error(`--dist-tag needs a name, got an empty one; ${USAGE}`);
  return { tag, notes, distTag };
}

function main(argv, env = process.env) {
  const options = parseCommandLine(argv);
  const root = path.resolve(__dirname, '..');
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const lookup = registryDistTags(manifest.name);
  if (lookup.tags === null) console.error(`release check: could not read ${manifest.name}'s dist-tags from the registry: ${lookup.problem}`);
  const result = checkRelease({
    tag: options.tag,
    manifest,
    changelog: fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'),
    registry: lookup.tags === null ? null : { tags: lookup.tags },
    distTag: options.distTag ?? (env.RELEASE_DIST_TAG || undefined),
    githubRepository: env.GITHUB_REPOSITORY || undefined,
  });
  if (options.notes !== undefined) {
    try {
      fs.writeFileSync(options.notes, `${result.notes}\n`);
    } catch (error) {
      throw new Error(`could not write the release notes to "${options.notes}": ${error.message}`);
    }
  }
  if (env.GITHUB_OUTPUT) {
    const isLatest = result.distTag === 'latest';
    fs.appendFileSync(env.GITHUB_OUTPUT, `dist-tag=${result.distTag}\nversion=${result.version}\nprerelease=${result.prerelease}\nlatest=${isLatest}\n`);
  }
  console.log(`release ${result.version} (${result.date}) as npm dist-tag "${result.distTag}": ${result.reason}`);
}

module.exports = { checkRelease, changelogSection, chooseDistTag, registryDistTags, SEMVER };

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`release check failed: ${error.message}`);
    process.exit(1);
  }
}
