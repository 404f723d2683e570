// scripts/n8n/community-install.js repeats what n8n's community-package installer does; this reads
// the installer in the provisioned n8n and checks it still does exactly that (the npm commands and
// flags, the unpacking, the dropped package.json fields), so a new n8n that changes how it installs
// fails here instead of the tarball test quietly testing an old way. It also reads the editor's
// Install action, which the README's way back to an earlier version relies on.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureN8n } from '../../../scripts/n8n/instance';
import { N8N_INSTALLER_FILE, N8N_NPM_INSTALL_ARGS, N8N_STRIPPED_FIELDS } from '../../../scripts/n8n/community-install';

/** The text of one method of n8n's compiled class, from its name to the next method at the same indent. */
function methodText(source: string, name: string): string {
  const start = source.indexOf(`    async ${name}(`);
  if (start < 0) throw new Error(`n8n's installer has no method ${name}()`);
  const next = source.slice(start + 1).search(/\n {4}(async )?[A-Za-z_]+\(/);
  return source.slice(start, next < 0 ? undefined : start + 1 + next);
}

/** The string literals of the first array literal after `marker`. */
function arrayAfter(text: string, marker: string): string[] {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`"${marker}" not found in:\n${text}`);
  const array = /\[([^\]]*)\]/.exec(text.slice(at))?.[1] ?? '';
  return [...array.matchAll(/'([^']*)'/g)].map((m) => m[1]);
}

/** n8n's editor actions (Install, Update, Uninstall) on community packages. */
const N8N_LIFECYCLE_FILE = 'dist/modules/community-packages/community-packages.lifecycle.service.js';
const README = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

describe("n8n's community-package installer (provisioned n8n)", () => {
  let downloadPackage = '';
  let editorInstall = '';

  beforeAll(
    async () => {
      const provisioned = await ensureN8n({ log: (line) => process.stderr.write(`[n8n-installer] ${line}\n`) });
      const source = fs.readFileSync(path.join(provisioned.n8nPackageDir, N8N_INSTALLER_FILE), 'utf8');
      downloadPackage = methodText(source, 'downloadPackage');
      editorInstall = methodText(fs.readFileSync(path.join(provisioned.n8nPackageDir, N8N_LIFECYCLE_FILE), 'utf8'), 'install');
    },
    15 * 60 * 1000,
  );

  it("refuses to Install a package that is installed at any version, as the README's way back says", () => {
    // The installed record is looked up by name alone (parseNpmPackageName drops "@<version>").
    expect(editorInstall).toContain('findInstalledPackage(parsed.packageName)');
    expect(editorInstall).toContain('is already installed`');
    expect(editorInstall).toContain("'To update it, click the corresponding button in the UI'");
    const goingBack = /\*\*Going back to an earlier version\.\*\*([\s\S]*?)\n\n/.exec(README)?.[1].replace(/\s+/g, ' ');
    expect(goingBack).toContain('is already installed. To update it, click the corresponding button in the UI');
    expect(goingBack).toContain('**Uninstall**');
    expect(goingBack).toContain('`npm install n8n-nodes-sms-gateway@<version>`');
  });

  it('fetches the tarball with `npm pack <name>@<version>` in the nodes folder and unpacks it with tar --strip-components=1', () => {
    expect(arrayAfter(downloadPackage, 'executeNpmCommand)([')).toEqual(['pack', '--quiet']);
    expect(downloadPackage).toContain("['pack', `${packageName}@${packageVersion}`, '--quiet']");
    expect(downloadPackage).toContain('cwd: this.downloadFolder');
    expect(arrayAfter(downloadPackage, "asyncExecFile('tar', [")).toEqual(['-xzf', '-C', '--strip-components=1']);
  });

  it('drops the same package.json fields before installing', () => {
    const destructured = /const \{ ([^}]+) \} = JSON\.parse\(packageJsonContent\)/.exec(downloadPackage)?.[1];
    expect(destructured?.split(',').map((field) => field.trim())).toEqual([...N8N_STRIPPED_FIELDS, '...packageJson']);
  });

  it('installs the dependencies with exactly the npm arguments community-install.js uses, in the package folder', () => {
    const install = downloadPackage.slice(downloadPackage.search(/executeNpmCommand\)\(\[\s*'install',/));
    expect(arrayAfter(install, 'executeNpmCommand)([')).toEqual(N8N_NPM_INSTALL_ARGS);
    expect(install).toMatch(/\], \{ cwd: packageDirectory, registry, authToken \}\)/);
    expect(N8N_NPM_INSTALL_ARGS).toContain('--ignore-scripts=true');
  });
});
