/**
 * Transpiles src/otp to plain CommonJS in a temp folder, so a child process can run the real
 * OTP core with `node` alone (no ts-node, no build of the whole project).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';

export const PROJECT_ROOT = resolve(__dirname, '../../..');

export function compileOtpCore(): { dir: string; remove: () => void } {
  const source = join(PROJECT_ROOT, 'src/otp');
  const dir = mkdtempSync(join(tmpdir(), 'otp-core-'));
  for (const file of readdirSync(source).filter((name) => name.endsWith('.ts'))) {
    const output = ts.transpileModule(readFileSync(join(source, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    writeFileSync(join(dir, file.replace(/\.ts$/, '.js')), output.outputText);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
