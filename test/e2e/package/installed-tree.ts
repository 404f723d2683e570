// Looks into a package installed under <user folder>/.n8n/nodes: which native binaries serialport
// would load there, and what our package declares to n8n (read from its files, never hard-coded,
// so renamed credential types or nodes keep these tests true).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { credentialTypeNames, nodeTypeNames } from '../support/package-under-test';

const run = promisify(execFile);

/** The folder of @serialport/bindings-cpp inside an installed package (wherever npm nested it). */
export function serialportBindingsDir(packageDir: string): string {
  const serialport = path.dirname(require.resolve('serialport/package.json', { paths: [packageDir] }));
  return path.dirname(require.resolve('@serialport/bindings-cpp/package.json', { paths: [serialport] }));
}

/**
 * The binary node-gyp-build (serialport's loader) picks in `bindingsDir` for a platform, CPU and C
 * library, asked in a child process so the environment that decides it is exactly the given one.
 */
export async function prebuildFor(bindingsDir: string, target: { platform: string; arch: string; libc: 'glibc' | 'musl' }): Promise<string> {
  const loader = require.resolve('node-gyp-build', { paths: [bindingsDir] });
  const script = `process.stdout.write(require(${JSON.stringify(loader)}).path(${JSON.stringify(bindingsDir)}))`;
  const env = { PATH: process.env.PATH, LIBC: target.libc, npm_config_platform: target.platform, npm_config_arch: target.arch };
  const { stdout } = await run(process.execPath, ['-e', script], { env });
  return stdout;
}

/** The shared libraries an ELF file needs (readelf, from binutils, which comes with the compiler toolchain of Debian). */
export async function neededLibraries(file: string): Promise<{ machine: string; needed: string[] }> {
  const { stdout } = await run('readelf', ['-h', '-d', file]);
  const machine = /Machine:\s+(.+)/.exec(stdout)?.[1].trim() ?? 'unknown';
  const needed = [...stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  return { machine, needed };
}

/** Files of a process's memory map under `dir` (what it has loaded from there). */
export function mappedFilesUnder(pid: number, dir: string): string[] {
  const maps = fs.readFileSync(`/proc/${pid}/maps`, 'utf8');
  const files = maps
    .split('\n')
    .map((line) => line.split(/\s+/).slice(5).join(' '))
    .filter((file) => file.startsWith(dir));
  return [...new Set(files)];
}

interface PropertyOwner {
  properties?: Array<{ name: string }>;
}

/** A credential type name from the package: the one whose fields include all of `fields`. */
export function credentialTypeWithFields(packageDir: string, credentialFiles: string[], fields: string[]): string {
  for (const file of credentialFiles) {
    const exported = require(path.join(packageDir, file)) as Record<string, new () => PropertyOwner & { name?: string }>;
    for (const Class of Object.values(exported)) {
      if (typeof Class !== 'function') continue;
      const instance = new Class();
      const names = new Set((instance.properties ?? []).map((property) => property.name));
      if (fields.every((field) => names.has(field)) && instance.name) return instance.name;
    }
  }
  throw new Error(`no credential in ${credentialFiles.join(', ')} has the fields ${fields.join(', ')}`);
}

/** The type name (without the package prefix) of the node in a declared file, e.g. "sendSms". */
export function nodeTypeIn(packageDir: string, nodeFiles: string[], fileName: string): string {
  const file = nodeFiles.find((candidate) => path.basename(candidate) === fileName);
  if (!file) throw new Error(`package.json declares no ${fileName} (declared: ${nodeFiles.join(', ')})`);
  const [name] = nodeTypeNames(packageDir, file);
  return name;
}

export { credentialTypeNames, nodeTypeNames };
