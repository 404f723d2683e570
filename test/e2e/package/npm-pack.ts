// `npm pack` of the package under test, as the release publishes it: the file list (dry run) or a
// real tarball. Run with the environment of a shell, not of the `npm test` around us.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PackedFile {
  path: string;
  size: number;
}

export interface PackResult {
  name: string;
  version: string;
  /** The tarball's file name (in the destination folder for a real pack). */
  filename: string;
  size: number;
  unpackedSize: number;
  files: PackedFile[];
}

export function shellEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_/i.test(key)) delete env[key];
  return env;
}

async function pack(dir: string, args: string[]): Promise<PackResult> {
  const { stdout } = await run('npm', ['pack', '--json', ...args], { cwd: dir, env: shellEnv(), maxBuffer: 32 * 1024 * 1024 });
  const [result] = JSON.parse(stdout) as PackResult[];
  if (!result?.files) throw new Error(`npm pack printed no file list: ${stdout.slice(0, 300)}`);
  return result;
}

/** What `npm pack` would put in the tarball, without writing it. */
export function packedFiles(dir: string): Promise<PackResult> {
  return pack(dir, ['--dry-run']);
}

/** Writes the tarball into `destination`; returns its full path with the pack result. */
export async function packTarball(dir: string, destination: string): Promise<PackResult & { tarball: string }> {
  const result = await pack(dir, ['--pack-destination', destination]);
  return { ...result, tarball: path.join(destination, result.filename) };
}
