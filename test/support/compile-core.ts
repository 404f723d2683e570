/**
 * The whole core (src/) as plain CommonJS in a temp folder, so child processes can run the real
 * transport and throttle with `node` alone: n8n queue mode is several processes, and a limit
 * shared through Redis has to be tried from several.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

export const PROJECT_ROOT = resolve(__dirname, '../..');

export interface CompiledCore {
  /** Folder holding src/ as .js files, same layout. */
  dir: string;
  /** Env for a child process that requires from `dir` (finds the project's node_modules). */
  env: NodeJS.ProcessEnv;
  remove(): void;
}

export function compileCore(): CompiledCore {
  const source = join(PROJECT_ROOT, 'src');
  const dir = mkdtempSync(join(tmpdir(), 'sms-core-'));
  const files = readdirSync(source, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));
  for (const file of files) {
    const { outputText } = ts.transpileModule(readFileSync(join(source, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    const target = join(dir, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  return {
    dir,
    env: { ...process.env, NODE_PATH: join(PROJECT_ROOT, 'node_modules') },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
