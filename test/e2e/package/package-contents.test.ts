// What `npm pack` puts in the published tarball (the built package: global-setup.js builds it):
// the compiled nodes, credentials and core, their icons and codex files, the sandbox that the
// package's command starts, and nothing else: no benchmarks, tests, sources, source maps or the
// modem simulator (a test tool). Its unpacked size is the one the README states.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageUnderTest } from '../support/package-under-test';
import { packedFiles } from './npm-pack';
import type { PackResult } from './npm-pack';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** Files npm always adds, and the changelog users read before upgrading. */
const TOP_LEVEL = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];
/** Compiled output, type declarations, icons, codex files and the sandbox page's static files. */
const ALLOWED_IN_DIST =
  /^dist\/(index\.(js|d\.ts)|(src|nodes|credentials)\/.+\.(js|d\.ts|svg|png)|nodes\/[^/]+\/[^/]+\.node\.json|src\/sandbox\/http\/static\/[^/]+\.(html|css|js))$/;

interface Manifest {
  main: string;
  types: string;
  bin: Record<string, string>;
  files: string[];
  n8n: { nodes: string[]; credentials: string[] };
}

/** Every relative require() reachable from the entry files, as built (CommonJS output of tsc). */
function requireClosure(dir: string, entries: string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const [, spec] of source.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      const resolved = [base, `${base}.js`, `${base}.json`, `${base}/index.js`].find((candidate) =>
        fs.statSync(path.join(dir, candidate), { throwIfNoEntry: false })?.isFile(),
      );
      if (!resolved) throw new Error(`${file} requires "${spec}", which is not in ${dir}: run "npm run build"`);
      pending.push(resolved);
    }
  }
  return seen;
}

/** Every `file:` icon path anywhere in an object (node descriptions, all versions, credentials). */
function iconFiles(value: unknown, found: Set<string> = new Set(), seen: Set<unknown> = new Set()): Set<string> {
  if (typeof value === 'string') {
    if (value.startsWith('file:')) found.add(value.slice('file:'.length));
  } else if (value && typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    for (const inner of Object.values(value)) iconFiles(inner, found, seen);
  }
  return found;
}

/** The icons a built node or credential file refers to, as paths relative to the package. */
function iconsOf(dir: string, file: string): string[] {
  const exported = require(path.join(dir, file)) as Record<string, unknown>;
  const icons = new Set<string>();
  for (const Class of Object.values(exported)) {
    if (typeof Class === 'function') iconFiles(new (Class as new () => object)(), icons);
  }
  return [...icons].map((icon) => path.posix.join(path.posix.dirname(file), icon));
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

describe('the published package (npm pack)', () => {
  const pkg = packageUnderTest();
  const manifest = JSON.parse(fs.readFileSync(path.join(pkg.dir, 'package.json'), 'utf8')) as Manifest;
  let packed: PackResult;
  let files: Set<string>;

  beforeAll(
    async () => {
      packed = await packedFiles(pkg.dir);
      files = new Set(packed.files.map((file) => file.path));
    },
    2 * 60 * 1000,
  );

  it('holds only the built package: no benchmarks, tests, sources, source maps or the modem simulator', () => {
    const unexpected = [...files].filter((file) => !TOP_LEVEL.includes(file) && !ALLOWED_IN_DIST.test(file));
    expect(unexpected).toEqual([]);
    for (const file of files) {
      expect(file).not.toMatch(/^dist\/(bench|test|scripts|examples)\//);
      expect(file).not.toMatch(/\.map$|(?<!\.d)\.ts$/);
      expect(file).not.toMatch(/\/simulator\//);
    }
    expect(files).toContain('LICENSE');
    expect(files).toContain('CHANGELOG.md');
  });

  it('holds every file n8n loads (nodes, credentials), their codex files and icons, and the entry points', () => {
    expect(manifest.n8n.nodes.length).toBeGreaterThan(0);
    for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials, manifest.main, manifest.types, ...Object.values(manifest.bin)]) {
      expect(files).toContain(file);
    }
    for (const node of manifest.n8n.nodes) expect(files).toContain(node.replace(/\.js$/, '.json'));
    const icons = [...manifest.n8n.nodes, ...manifest.n8n.credentials].flatMap((file) => iconsOf(pkg.dir, file));
    expect(icons.length).toBeGreaterThanOrEqual(manifest.n8n.nodes.length);
    for (const icon of icons) expect(files).toContain(icon);
  });

  it('holds every module the nodes, credentials, core API and command require (the shared core included)', () => {
    const entries = [manifest.main, ...Object.values(manifest.bin), ...manifest.n8n.nodes, ...manifest.n8n.credentials];
    const needed = requireClosure(pkg.dir, entries);
    expect([...needed].filter((file) => !files.has(file))).toEqual([]);
    // The sandbox page's files are read from disk, not required.
    const staticFiles = walk(path.join(pkg.dir, 'dist', 'src', 'sandbox', 'http', 'static')).map((file) =>
      path.relative(pkg.dir, file).split(path.sep).join('/'),
    );
    expect(staticFiles.length).toBeGreaterThan(0);
    for (const file of staticFiles) expect(files).toContain(file);
  });

  it('declares the command `n8n-nodes-sms-gateway`, a Node script, and keeps n8n-workflow an optional peer', () => {
    expect(Object.keys(manifest.bin)).toEqual([pkg.name]);
    expect(fs.readFileSync(path.join(pkg.dir, manifest.bin[pkg.name]), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const full = JSON.parse(fs.readFileSync(path.join(pkg.dir, 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(full.peerDependencies).toHaveProperty('n8n-workflow');
    expect(full.peerDependenciesMeta).toEqual({ 'n8n-workflow': { optional: true } });
  });

  it('has the unpacked size the README states (within 15%; update the README when it moves further)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const stated = /unpacked size of\s+about\s+([\d.]+)\s+MB/.exec(readme);
    if (!stated) throw new Error('README.md does not state "unpacked size of about <n> MB"');
    const actualMb = packed.unpackedSize / 1_000_000;
    expect({ statedMb: Number(stated[1]), close: Math.abs(actualMb - Number(stated[1])) / actualMb <= 0.15 }).toEqual({
      statedMb: Number(stated[1]),
      close: true,
    });
  });
});
