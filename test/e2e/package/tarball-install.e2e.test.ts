// The way most users get the package: `npm pack` of this clone (what the release publishes),
// installed into a fresh n8n 2.40.x user folder exactly as n8n's Settings > Community Nodes
// installer does it (scripts/n8n/community-install.js: install scripts off, no bin links, dev,
// peer and optional dependencies dropped), then one n8n start. No link to the working tree: n8n
// runs what the tarball and the registry's dependencies hold, as on a user's server.
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installTarballLikeN8n, N8N_NPM_INSTALL_ARGS } from '../../../scripts/n8n/community-install';
import type { SandboxSmsc } from '../../../src/sandbox/sandbox-smsc';
import { startSimulatedModem } from '../../../src/transport/modem/simulator';
import type { SimulatedModem } from '../../../src/transport/modem/simulator';
import { createCredential, createPublishedWorkflow, postJson, waitForFinishedExecutions } from '../support/n8n-resources';
import type { CredentialRef, WorkflowDefinition } from '../support/n8n-resources';
import { N8nUnderTest } from '../support/n8n-under-test';
import { packageUnderTest } from '../support/package-under-test';
import { eventually, messagesTo, smppCredentialData, startE2eSandbox, ukMobiles, within } from '../support/sms-sandbox';
import {
  credentialTypeNames,
  credentialTypeWithFields,
  mappedFilesUnder,
  neededLibraries,
  nodeTypeIn,
  nodeTypeNames,
  prebuildFor,
  serialportBindingsDir,
} from './installed-tree';
import { canConnect } from '../../support/tcp';
import { packTarball } from './npm-pack';
import type { PackResult } from './npm-pack';

const ACCOUNT = { systemId: 'e2etgz', password: 'pw-tgz1' };
// The C library a binary links: glibc's soname, or musl's (Alpine's name for it, or plain libc.so).
const GLIBC = /^libc\.so\.6$/;
const MUSL = /^libc\.(musl-(x86_64|aarch64)\.so\.1|so)$/;
const note = (line: string): void => {
  process.stderr.write(`[e2e tarball-install] ${line}\n`);
};

describe('the packed tarball, installed the way n8n installs community nodes', () => {
  const pkg = packageUnderTest();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-e2e-tarball-'));
  let packed: PackResult & { tarball: string };
  let installed: Awaited<ReturnType<typeof installTarballLikeN8n>> | undefined;
  let n8n: N8nUnderTest | undefined;
  let smsc: SandboxSmsc;
  let modem: SimulatedModem;

  beforeAll(
    async () => {
      packed = await packTarball(pkg.dir, workDir);
      note(`packed ${packed.filename}: ${packed.files.length} files, ${packed.size} bytes, ${packed.unpackedSize} unpacked`);
      smsc = await startE2eSandbox([ACCOUNT]);
      modem = await startSimulatedModem({ operatorName: 'Tarball Net' });
      n8n = await N8nUnderTest.start({
        label: 'tarball-install',
        mode: 'regular',
        note,
        installPackage: async (userFolder) => {
          installed = await installTarballLikeN8n({ userFolder, tarball: packed.tarball, log: note });
          note(`installed into ${installed.packageDir} in ${(installed.ms / 1000).toFixed(1)} s`);
        },
      });
    },
    8 * 60 * 1000,
  );

  afterAll(
    async () => {
      await n8n?.shutdown();
      await smsc?.stop();
      await modem?.stop();
      fs.rmSync(workDir, { recursive: true, force: true });
    },
    2 * 60 * 1000,
  );

  const running = (): N8nUnderTest => {
    if (!n8n) throw new Error('n8n did not start (see the beforeAll error)');
    return n8n;
  };
  const installedTree = (): NonNullable<typeof installed> => {
    if (!installed) throw new Error('the tarball was not installed (see the beforeAll error)');
    return installed;
  };

  test('lands as a real folder (no link) with its dependencies, no devDependencies or n8n-workflow copy, recorded in nodes/package.json', async () => {
    await running().guard(async () => {
      const { packageDir, nodesDir, npmArgs } = installedTree();
      expect(npmArgs.slice(0, N8N_NPM_INSTALL_ARGS.length)).toEqual(N8N_NPM_INSTALL_ARGS);
      expect(fs.lstatSync(packageDir).isSymbolicLink()).toBe(false);
      expect(fs.realpathSync(packageDir).startsWith(fs.realpathSync(pkg.dir))).toBe(false);
      const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
      expect(manifest).not.toHaveProperty('devDependencies');
      expect(manifest).not.toHaveProperty('peerDependencies');
      const dependencies = Object.keys(manifest.dependencies as Record<string, string>);
      for (const dependency of dependencies) expect(fs.existsSync(path.join(packageDir, 'node_modules', dependency, 'package.json'))).toBe(true);
      // n8n-workflow is a peer dependency: the one of the running n8n is used, never a second copy.
      expect(fs.existsSync(path.join(packageDir, 'node_modules', 'n8n-workflow'))).toBe(false);
      expect(fs.existsSync(path.join(packageDir, 'node_modules', 'jest'))).toBe(false);
      const ledger = JSON.parse(fs.readFileSync(path.join(nodesDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      expect(ledger.dependencies).toEqual({ [packed.name]: packed.version });
      // The tarball itself is gone, as after n8n's install.
      expect(fs.readdirSync(nodesDir).filter((file) => file.endsWith('.tgz'))).toEqual([]);
    })();
  });

  // n8n's official Docker image runs Alpine (musl). It cannot run here: no Docker engine runs on
  // these machines, and only the npm registry and Debian's packages are reachable (no Alpine
  // packages, no musl build of Node or of libstdc++ to load the musl binary with). So this checks
  // what can be checked without it: the musl binaries are in the tree n8n's installer makes,
  // serialport's loader picks them for linux-x64/arm64 with musl, and they link musl's libc.
  test("serialport brings prebuilt binaries (nothing was compiled): glibc and musl (Alpine, n8n's Docker image) for x64 and arm64", async () => {
    await running().guard(async () => {
      const bindings = serialportBindingsDir(installedTree().packageDir);
      // node-gyp would have left build/; with install scripts off nothing ran at all.
      expect(fs.existsSync(path.join(bindings, 'build'))).toBe(false);
      const targets = [
        { platform: 'linux', arch: 'x64', libc: 'glibc', file: 'linux-x64/@serialport+bindings-cpp.glibc.node', machine: /X86-64/, libcSo: GLIBC },
        { platform: 'linux', arch: 'x64', libc: 'musl', file: 'linux-x64/@serialport+bindings-cpp.musl.node', machine: /X86-64/, libcSo: MUSL },
        { platform: 'linux', arch: 'arm64', libc: 'glibc', file: 'linux-arm64/@serialport+bindings-cpp.armv8.glibc.node', machine: /AArch64/, libcSo: GLIBC },
        { platform: 'linux', arch: 'arm64', libc: 'musl', file: 'linux-arm64/@serialport+bindings-cpp.armv8.musl.node', machine: /AArch64/, libcSo: MUSL },
      ] as const;
      for (const target of targets) {
        const chosen = await prebuildFor(bindings, target);
        expect({ target: `${target.platform}-${target.arch}-${target.libc}`, chosen: path.relative(path.join(bindings, 'prebuilds'), chosen) }).toEqual({
          target: `${target.platform}-${target.arch}-${target.libc}`,
          chosen: target.file,
        });
        const elf = await neededLibraries(chosen);
        expect(elf.machine).toMatch(target.machine);
        expect(elf.needed.filter((library) => /^libc[.-]/.test(library))).toEqual([expect.stringMatching(target.libcSo)]);
      }
    })();
  });

  test('n8n loads the package from the install and lists its five nodes and six credentials', async () => {
    await running().guard(async () => {
      const log = fs.readFileSync(running().main.logFile, 'utf8');
      expect(log).not.toMatch(new RegExp(`Failed to load package "${pkg.name}"`));
      expect(pkg.declaredNodeFiles).toHaveLength(5);
      expect(pkg.declaredCredentialFiles).toHaveLength(6);

      const listed = (await running().client.nodeTypes()).map((type) => type.name).filter((name) => name.startsWith(`${pkg.name}.`));
      const expected = pkg.declaredNodeFiles.flatMap((file) => nodeTypeNames(pkg.dir, file)).map((name) => `${pkg.name}.${name}`);
      expect([...new Set(listed)].sort()).toEqual([...new Set(expected)].sort());
      const withoutTools = new Set(listed.filter((name) => !name.endsWith('Tool') || !listed.includes(name.slice(0, -4))));
      expect(withoutTools.size).toBe(5);

      const credentialTypes = new Set((await running().client.get<Array<{ name: string }>>('/types/credentials.json')).map((type) => type.name));
      const ours = pkg.declaredCredentialFiles.flatMap((file) => credentialTypeNames(pkg.dir, file));
      expect(ours).toHaveLength(6);
      for (const name of ours) expect(credentialTypes).toContain(name);
    })();
  });

  test('an SMS Trigger workflow answering with Send SMS runs against the sandbox SMSC', async () => {
    await running().guard(async () => {
      const smppType = credentialTypeWithFields(pkg.dir, pkg.declaredCredentialFiles, ['host', 'systemId', 'sourceAddress']);
      const smpp = await createCredential(running().client, 'SMPP sandbox', smppType, smppCredentialData(smsc, ACCOUNT));
      const workflowId = await createPublishedWorkflow(running().client, replyWorkflow(smpp));
      const [phone] = ukMobiles(1, 90_000);
      const injected = await within(smsc.injectMo({ from: phone, to: '81234', text: 'hello from the tarball' }), `n8n to take the text from ${phone}`);
      expect(injected).toEqual({ parts: 1, delivered: true });
      await eventually(() => messagesTo(smsc, phone).length > 0, `the reply to ${phone}`);
      expect(messagesTo(smsc, phone).map((m) => [m.from, m.text])).toEqual([['E2ETEST', 'Got: hello from the tarball']]);
      const executions = await waitForFinishedExecutions(running().client, workflowId, 1);
      expect(executions.map((e) => [e.mode, e.status])).toEqual([['trigger', 'success']]);
    })();
  });

  test("Send SMS through the GSM modem: serialport's prebuilt binary loads inside n8n and the simulated modem gets the SMS", async () => {
    await running().guard(async () => {
      const modemType = credentialTypeWithFields(pkg.dir, pkg.declaredCredentialFiles, ['devicePath', 'baudRate']);
      const credential = await createCredential(running().client, 'Simulated modem', modemType, {
        devicePath: modem.path,
        baudRate: 115200,
        defaultCountry: 'GB',
      });
      await createPublishedWorkflow(running().client, modemWorkflow(credential));
      const answer = await postJson(running().main.url, 'sms-e2e-tarball-modem', { to: '07911 123456', text: 'Sent through the installed package' });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ to: '+447911123456', route: 'modem', status: 'accepted', parts: 1 });
      expect(modem.simulator.sent.map((sms) => sms.text)).toEqual(['Sent through the installed package']);

      // The binary n8n's process mapped is the glibc prebuild inside the installed tree.
      const bindings = serialportBindingsDir(installedTree().packageDir);
      const loaded = mappedFilesUnder(running().main.pid, fs.realpathSync(installedTree().packageDir)).filter((file) => file.endsWith('.node'));
      expect(loaded).toEqual([path.join(fs.realpathSync(bindings), 'prebuilds', 'linux-x64', '@serialport+bindings-cpp.glibc.node')]);
    })();
  });

  test("the package's command runs from the tarball: `npx n8n-nodes-sms-gateway sandbox` starts the sandbox, --help explains it", async () => {
    await running().guard(async () => {
      // A plain project, as a user's: npm install of the tarball links the bin; npx finds it there.
      const project = path.join(workDir, 'user-project');
      fs.mkdirSync(project);
      fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
      await runToEnd('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', packed.tarball], project);
      // n8n-workflow is an optional peer: outside n8n nothing pulls it in (its isolated-vm would
      // have to compile, and failed to on Node 20 when the peer was not marked optional).
      expect(fs.existsSync(path.join(project, 'node_modules', 'n8n-workflow'))).toBe(false);
      expect(fs.existsSync(path.join(project, 'node_modules', 'isolated-vm'))).toBe(false);

      const help = await runToEnd('npx', ['n8n-nodes-sms-gateway', 'sandbox', '--help'], project);
      expect(help.stdout).toMatch(/^Usage: n8n-nodes-sms-gateway sandbox \[options\]/);
      expect(help.stdout).not.toContain('SMS sandbox is running');

      const sandbox = spawnDetached('npx', ['n8n-nodes-sms-gateway', 'sandbox', '--smpp-port', '0', '--http-port', '0'], project);
      const output = collectOutput(sandbox);
      try {
        await eventually(() => /Press Ctrl\+C to stop/.test(output.text), 'the sandbox banner', 60_000);
        const smppPort = Number(/SMPP +127\.0\.0\.1:(\d+)/.exec(output.text)?.[1]);
        const httpPort = Number(/Phone inbox http:\/\/127\.0\.0\.1:(\d+)\//.exec(output.text)?.[1]);
        const page = await fetch(`http://127.0.0.1:${httpPort}/`);
        expect(await page.text()).toContain('<title>SMS Sandbox');
        expect(await canConnect(smppPort)).toBe(true);
        // Ctrl+C in a terminal: the whole foreground group (npx and the sandbox) gets SIGINT.
        process.kill(-sandbox.pid!, 'SIGINT');
        await within(ended(sandbox), 'npx to end after SIGINT', 30_000);
        expect(output.text).toContain('SIGINT: stopping the sandbox');
        expect(await canConnect(smppPort)).toBe(false);
      } finally {
        if (sandbox.exitCode === null && sandbox.signalCode === null) process.kill(-sandbox.pid!, 'SIGKILL');
      }
    })();
  });
});

function replyWorkflow(smpp: CredentialRef): WorkflowDefinition {
  // typeVersion 1 on purpose: a saved workflow of the first version must keep running after upgrades.
  const credentials = { [smpp.type]: { id: smpp.id, name: smpp.name } };
  return {
    name: 'tarball: SMS Trigger replies',
    nodes: [
      {
        id: randomUUID(),
        name: 'SMS Trigger',
        type: typeOf('SmsTrigger.node.js'),
        typeVersion: 1,
        position: [0, 0],
        parameters: { source: 'carrier', events: ['message'], handleOptOut: false, options: {} },
        credentials,
      },
      {
        id: randomUUID(),
        name: 'Reply',
        type: typeOf('SendSms.node.js'),
        typeVersion: 1,
        position: [220, 0],
        parameters: { transport: 'smpp', to: '={{ $json.from }}', message: '=Got: {{ $json.text }}', options: {} },
        credentials,
      },
    ],
    connections: { 'SMS Trigger': { main: [[{ node: 'Reply', type: 'main', index: 0 }]] } },
    settings: { executionOrder: 'v1' },
  };
}

function modemWorkflow(modem: CredentialRef): WorkflowDefinition {
  return {
    name: 'tarball: webhook sends through the GSM modem',
    nodes: [
      {
        id: randomUUID(),
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId: randomUUID(),
        parameters: { httpMethod: 'POST', path: 'sms-e2e-tarball-modem', responseMode: 'lastNode', options: {} },
      },
      {
        id: randomUUID(),
        name: 'Send SMS',
        type: typeOf('SendSms.node.js'),
        typeVersion: 1,
        position: [220, 0],
        parameters: { transport: 'modem', to: '={{ $json.body.to }}', message: '={{ $json.body.text }}', options: {} },
        credentials: { [modem.type]: { id: modem.id, name: modem.name } },
      },
    ],
    connections: { Webhook: { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] } },
    settings: { executionOrder: 'v1' },
  };
}

function typeOf(fileName: string): string {
  const pkg = packageUnderTest();
  return `${pkg.name}.${nodeTypeIn(pkg.dir, pkg.declaredNodeFiles, fileName)}`;
}

/** A shell's environment: what `npm test` and jest exported would change how npm behaves. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_/i.test(key) || key.startsWith('JEST_')) delete env[key];
  delete env.NODE_ENV;
  return env;
}

function spawnDetached(command: string, args: string[], cwd: string): ChildProcessWithoutNullStreams {
  // Its own process group: npx runs the bin in a child, and the signal must reach both.
  return spawn(command, args, { cwd, env: userEnv(), detached: true, stdio: 'pipe' });
}

function ended(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function collectOutput(child: ChildProcessWithoutNullStreams): { text: string } {
  const output = { text: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
  return output;
}

async function runToEnd(command: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  const child = spawnDetached(command, args, cwd);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const { code, signal } = await within(ended(child), `${command} ${args.join(' ')}`, 3 * 60 * 1000);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} ended with ${signal ?? `exit code ${code}`}:\n${stdout}\n${stderr}`);
  return { stdout, stderr };
}
