/**
 * Transpiles src/otp (and src/errors, which it imports) to plain CommonJS in a temp folder, so a child process can run the real
 * OTP core with `node` alone (no ts-node, no build of the whole project).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';

export const PROJECT_ROOT = resolve(__dirname, '../../..');

/** Each src/ folder the OTP core imports, with its own folder, so relative imports ('../errors') resolve. */
const FOLDERS = ['otp', 'errors'];

export function compileOtpCore(): { dir: string; remove: () => void } {
  const base = mkdtempSync(join(tmpdir(), 'otp-core-'));
  for (const folder of FOLDERS) {
    const source = join(PROJECT_ROOT, 'src', folder);
    mkdirSync(join(base, folder));
    for (const file of readdirSync(source).filter((name) => name.endsWith('.ts'))) {
      const output = ts.transpileModule(readFileSync(join(source, file), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        fileName: file,
      });
      writeFileSync(join(base, folder, file.replace(/\.ts$/, '.js')), output.outputText);
    }
  }
  return { dir: join(base, 'otp'), remove: () => rmSync(base, { recursive: true, force: true }) };
}
