/**
 * package.json's runtime dependencies are exactly the packages the published code imports or
 * requires (each one an install for every user, in every n8n process), and the README's list of
 * them is the same list. Imports are read with TypeScript's own pre-processor (import, export
 * from, import(), require()), over the sources the package ships: index.ts, src/, nodes/ and
 * credentials/, less what package.json's "files" leaves out of the tarball.
 */
import { builtinModules } from 'module';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  files: string[];
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

/** Source folders package.json's "files" excludes from the tarball ("!dist/src/x" -> "src/x"). */
const excluded = manifest.files.filter((entry) => entry.startsWith('!dist/') && !entry.includes('*')).map((entry) => entry.slice('!dist/'.length));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (excluded.includes(rel)) return [];
    if (entry.isDirectory()) return sourceFiles(rel);
    return /\.ts$/.test(entry.name) ? [rel] : [];
  });
}

/** "libphonenumber-js/max" -> "libphonenumber-js", "@otplib/core/x" -> "@otplib/core"; null for Node's own modules and relative paths. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0])) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Package name -> the shipped files that import it. */
function importedPackages(files: string[]): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(ROOT, file), 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      const name = packageOf(fileName);
      if (name) users.set(name, [...(users.get(name) ?? []), file]);
    }
  }
  return users;
}

describe('runtime dependencies (package.json "dependencies")', () => {
  const shipped = ['index.ts', ...sourceFiles('src'), ...sourceFiles('nodes'), ...sourceFiles('credentials')];
  const used = importedPackages(shipped);
  const peers = Object.keys(manifest.peerDependencies ?? {});

  it('reads the shipped sources and leaves out what the tarball leaves out (the modem simulator)', () => {
    expect(shipped.length).toBeGreaterThan(100);
    expect(shipped).toContain('src/transport/smpp/pdu/pdu-codec.ts');
    expect(excluded).toContain('src/transport/modem/simulator');
    expect(shipped.some((file) => file.startsWith('src/transport/modem/simulator/'))).toBe(false);
    // require() is seen too, not only import.
    expect(importedPackages(['src/sandbox/precise-wakeup.ts'])).toEqual(new Map());
    expect(used.get('smpp')).toContain('src/transport/smpp/pdu/pdu-codec.ts');
  });

  it('every dependency is imported by the published code (none installed for nothing)', () => {
    const unused = Object.keys(manifest.dependencies).filter((name) => !used.has(name));
    expect(unused).toEqual([]);
  });

  it('every package the published code imports is a dependency, or n8n-workflow as a peer that n8n provides', () => {
    const missing = [...used.keys()].filter((name) => !(name in manifest.dependencies) && !peers.includes(name));
    expect(missing).toEqual([]);
    expect(peers).toEqual(['n8n-workflow']);
  });

  it("the README's list of dependencies is package.json's", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const list = /with its dependencies \(([^)]*)\)/.exec(readme);
    if (!list) throw new Error('README.md has no "with its dependencies (`a`, `b`, ...)" list');
    const named = [...list[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    expect([...named].sort()).toEqual(Object.keys(manifest.dependencies).sort());
  });
});
