/**
 * Secrets, part 3: the SMS Trigger's SMPP server mode, where our code checks passwords that
 * strangers send. Passwords are compared in constant time (fixed-length digests through
 * crypto.timingSafeEqual, never a string comparison), a wrong system_id and a wrong password
 * get the same answer, and repeated failures lock the system_id out: through the node with the
 * credential's setting, and on the server with an injected clock for the lock running out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { logCapture } from '../harness/n8n-harness';
import { closeAllSmppServers, smppServerUsers } from '../../src/registry/listener-registry';
import { Status } from '../../src/transport/smpp/command-status';
import { BindAuthenticator } from '../../src/transport/smpp/server/bind-authenticator';
import { BindLockout } from '../../src/transport/smpp/server/bind-lockout';
import { SmppServer } from '../../src/transport/smpp/server/smpp-server';
import { SmsTrigger } from '../../nodes/SmsTrigger/SmsTrigger.node';
import { waitFor } from '../support/sandbox';
import { bindOnce } from '../inbound/support/smpp-library-client';
import { activateTrigger } from '../inbound/support/active-trigger';
import { bindFrom } from './support/bind-from';
import { freePort, serverRef, TRIGGER, triggerCredentialTypes } from '../inbound/support/trigger-node-setup';
import { leakedSecrets, OutputCapture } from '../reliability/support/output-capture';

const SERVER_DIR = path.join(__dirname, '../../src/transport/smpp/server');
const ACCOUNT = { systemId: 'billing-app', password: 'Bx7!pQ2w' };
const GUESSES = ['guess-01', 'guess-02', 'guess-03'];

describe('secrets: SMPP server mode password checks', () => {
  afterEach(async () => {
    await closeAllSmppServers();
  });

  it('compares system_id and password as fixed-length digests through timingSafeEqual, with no string comparison of passwords', () => {
    const sources = fs
      .readdirSync(SERVER_DIR)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => ({ file: f, text: fs.readFileSync(path.join(SERVER_DIR, f), 'utf8') }));
    const authenticator = sources.find((s) => s.file === 'bind-authenticator.ts')!.text;
    expect(authenticator).toMatch(/import \{[^}]*\btimingSafeEqual\b[^}]*\} from '(node:)?crypto'/);
    expect(authenticator).toMatch(/timingSafeEqual\(a, b\)/);
    expect(authenticator).toMatch(/sameSecret\(passwordHash, digest\(account\.password\)\)/);
    expect(authenticator).toMatch(/sameSecret\(idHash, digest\(account\.systemId\)\)/);
    // No early exit: every account is compared before the answer is chosen.
    expect(authenticator).not.toMatch(/for \(const account of accounts\) \{[^}]*\b(return|break)\b/);
    for (const { file, text } of sources) {
      expect({ file, comparisons: text.match(/password\s*(===|!==|==|!=)|(===|!==|==|!=)\s*[\w.]*password\b/gi) ?? [] }).toEqual({ file, comparisons: [] });
    }
  });

  it('passwords of any length are checked without throwing (timingSafeEqual only ever sees 32-byte digests)', () => {
    const authenticator = new BindAuthenticator(new BindLockout(() => 0));
    const account = { ...ACCOUNT, lockout: { maxFailures: 100, lockoutMs: 60_000 } };
    for (const password of ['', 'x', 'y'.repeat(1000), `${ACCOUNT.password}\u0000`, ACCOUNT.password.slice(0, -1)]) {
      expect(authenticator.authenticate([account], ACCOUNT.systemId, password, '127.0.0.1')).toMatchObject({
        status: Status.invalidPassword,
        reason: 'wrong-credentials',
      });
    }
    expect(authenticator.authenticate([account], ACCOUNT.systemId, ACCOUNT.password, '127.0.0.1')).toMatchObject({ status: 0 });
    // An unknown system_id gets exactly the answer a wrong password gets: nothing to enumerate.
    expect(authenticator.authenticate([account], 'no-such-app', ACCOUNT.password, '127.0.0.1')).toEqual(
      authenticator.authenticate([account], ACCOUNT.systemId, 'wrong', '127.0.0.1'),
    );
  });

  it('through the SMS Trigger: the credential\'s "Lock Out After Failed Binds" blocks the guessing address, even against the right password, and no password is logged', async () => {
    const output = new OutputCapture().start();
    const mark = logCapture.mark();
    const port = await freePort();
    const trigger = await activateTrigger({
      type: TRIGGER,
      nodeType: new SmsTrigger(),
      parameters: { source: 'server', host: '127.0.0.1', port },
      credentials: { smppServerApi: { ...ACCOUNT, maxFailedBinds: 3, lockoutMinutes: 5 } },
      credentialRefs: serverRef,
      credentialTypes: triggerCredentialTypes,
    });
    try {
      await waitFor(() => smppServerUsers('127.0.0.1', port) === 1, 'the trigger to listen');
      const answers: number[] = [];
      for (const guess of GUESSES) answers.push(await bindOnce(port, ACCOUNT.systemId, guess));
      answers.push(await bindOnce(port, ACCOUNT.systemId, ACCOUNT.password));
      expect(answers).toEqual([Status.invalidPassword, Status.invalidPassword, Status.invalidPassword, Status.bindFailed]);
      // The block is the guessing address's, for this account: another address binds, and a bind
      // as another system_id from the guessing address is still answered (its own count).
      expect(await bindFrom({ port, from: '127.0.0.2' }, ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
      expect(await bindOnce(port, 'other-app', 'whatever1')).toBe(Status.invalidPassword);
      expect(trigger.emitted).toEqual([]);
    } finally {
      await trigger.close();
      output.stop();
    }
    const secrets = { 'server password': ACCOUNT.password, 'guessed passwords': GUESSES, 'other guess': 'whatever1' };
    expect(leakedSecrets(`${logCapture.text(mark)}\n${output.text()}`, secrets)).toEqual([]);
  });

  it('the lock runs out after the lockout time (injected clock), then the right password binds again', async () => {
    let now = Date.UTC(2030, 0, 1);
    const server = new SmppServer({ host: '127.0.0.1', port: 0, now: () => now });
    await server.start();
    const refused: Array<{ reason: string; lockedNow: boolean }> = [];
    server.on('bindRefused', (info) => refused.push({ reason: info.reason, lockedNow: info.lockedNow }));
    const unsubscribe = server.subscribe({ account: { ...ACCOUNT, lockout: { maxFailures: 2, lockoutMs: 60_000 } }, onSubmit: async () => undefined });
    try {
      expect(await bindOnce(server.port, ACCOUNT.systemId, 'wrong-1')).toBe(Status.invalidPassword);
      expect(await bindOnce(server.port, ACCOUNT.systemId, 'wrong-2')).toBe(Status.invalidPassword);
      expect(await bindOnce(server.port, ACCOUNT.systemId, ACCOUNT.password)).toBe(Status.bindFailed);
      now += 59_000;
      expect(await bindOnce(server.port, ACCOUNT.systemId, ACCOUNT.password)).toBe(Status.bindFailed);
      now += 2_000;
      expect(await bindOnce(server.port, ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
      expect(refused).toEqual([
        { reason: 'wrong-credentials', lockedNow: false },
        { reason: 'wrong-credentials', lockedNow: true },
        { reason: 'locked', lockedNow: false },
        { reason: 'locked', lockedNow: false },
      ]);
      expect(server.stats).toMatchObject({ binds: 1, bindFailures: 4 });
    } finally {
      unsubscribe();
      await server.close();
    }
  });
});
