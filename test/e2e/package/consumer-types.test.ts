// A TypeScript project that uses the package's core API (`import { prepareSms } from
// 'n8n-nodes-sms-gateway'`), installed from the packed tarball with plain npm, and compiled with
// `skipLibCheck: false`: every declaration the public API reaches must be in the tarball or in a
// dependency npm installs. n8n-workflow is an optional peer (absent outside n8n) and `smpp` ships
// no types, so neither may appear unresolved in the published .d.ts files (TS2307 / TS7016).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { packageUnderTest } from '../support/package-under-test';
import { packTarball, shellEnv } from './npm-pack';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..', '..');

const CONSUMER = `import { prepareSms, sendSms, SmppTransport, GsmModem, SandboxSmsc, normalizePhoneNumber } from 'n8n-nodes-sms-gateway';
import type { SmsRequest, SmsResult } from 'n8n-nodes-sms-gateway';

const request: SmsRequest = { to: '+447700900123', text: 'hello' };
const prepared = prepareSms(request);
export const parts: number = prepared.pdus.length;
export const send: (sender: Parameters<typeof sendSms>[0]) => Promise<SmsResult> = (sender) => sendSms(sender, request);
export const classes = [SmppTransport, GsmModem, SandboxSmsc];
export const number = normalizePhoneNumber('+447700900123');
`;

/** The compiler options of a strict consumer project that checks the declarations it uses. */
function consumerTsconfig(moduleResolution: 'node10' | 'node16'): object {
  return {
    compilerOptions: {
      target: 'ES2022',
      module: moduleResolution === 'node16' ? 'node16' : 'commonjs',
      moduleResolution,
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      types: ['node'],
    },
    files: ['consumer.ts'],
  };
}

describe('the published type declarations (a TypeScript consumer, skipLibCheck false)', () => {
  let project: string;

  beforeAll(
    async () => {
      project = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-consumer-'));
      const packed = await packTarball(packageUnderTest().dir, project);
      fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
      // A user's project: the tarball and @types/node, nothing from this clone's node_modules.
      const typesNode = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@types', 'node', 'package.json'), 'utf8')).version as string;
      await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', packed.tarball, `@types/node@${typesNode}`], {
        cwd: project,
        env: shellEnv(),
        maxBuffer: 16 * 1024 * 1024,
      });
      fs.writeFileSync(path.join(project, 'consumer.ts'), CONSUMER);
    },
    5 * 60 * 1000,
  );

  afterAll(() => {
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it('n8n-workflow, an optional peer, is not installed next to the package', () => {
    expect(fs.existsSync(path.join(project, 'node_modules', 'n8n-workflow'))).toBe(false);
  });

  it.each([['node10' as const], ['node16' as const]])(
    'compiles with moduleResolution %s and no errors in any .d.ts',
    async (resolution) => {
      fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(consumerTsconfig(resolution)));
      const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: project, maxBuffer: 16 * 1024 * 1024 }).then(
        () => ({ errors: [] as string[] }),
        (error: { stdout?: string; stderr?: string }) => ({
          errors: `${error.stdout ?? ''}${error.stderr ?? ''}`.split('\n').filter((line) => line.trim() !== ''),
        }),
      );
      expect(result.errors).toEqual([]);
    },
    2 * 60 * 1000,
  );
});
