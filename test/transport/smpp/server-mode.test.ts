import { readFileSync } from 'fs';
import { join } from 'path';
import * as smpp from 'smpp';
import { Status } from '../../../src/transport/smpp/command-status';
import { CommandId } from '../../../src/transport/smpp/pdu/command-ids';
import { blankMessagePdu, encodeMessagePdu } from '../../../src/transport/smpp/pdu/message-pdu';
import type { MessagePdu } from '../../../src/transport/smpp/pdu/message-pdu';
import { encodeEmptyRequest, encodeGeneric } from '../../../src/transport/smpp/pdu/pdu-codec';
import { SmppServer } from '../../../src/transport/smpp/server/smpp-server';
import type { ServerSubscriber, SmppServerOptions } from '../../../src/transport/smpp/server/smpp-server';
import type { ServerAccount } from '../../../src/transport/smpp/server/bind-authenticator';
import { bindOnce, connectLibraryClient } from '../../inbound/support/smpp-library-client';
import { RawSmppClient } from '../../inbound/support/raw-smpp-client';
import { waitFor } from '../../support/sandbox';
import { bindFrom } from '../../security/support/bind-from';

const ACCOUNT = { systemId: 'shopapp', password: 's3cret!' };

describe('SMPP server mode (an ESME on the smpp library binds to us over TCP)', () => {
  const servers: SmppServer[] = [];
  const closers: Array<() => Promise<void> | void> = [];

  async function startServer(options: Partial<SmppServerOptions> = {}): Promise<SmppServer> {
    const server = new SmppServer({ host: '127.0.0.1', port: 0, ...options });
    await server.start();
    servers.push(server);
    return server;
  }

  type Seen = Array<{ pdu: MessagePdu; systemId: string }> & { unsubscribe?: () => void };
  function collect(server: SmppServer, account: ServerAccount = ACCOUNT): Seen {
    const seen: Seen = [];
    seen.unsubscribe = server.subscribe({ account, onSubmit: async (pdu, _at, systemId) => void seen.push({ pdu, systemId }) });
    return seen;
  }

  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('takes 1,000 submit_sm from a bound transceiver and answers each with a unique message id', async () => {
    const server = await startServer();
    const seen = collect(server);
    const client = await connectLibraryClient(server.port);
    closers.push(() => client.close());
    expect(await client.bind('transceiver', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);

    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => client.submit({ source_addr: '447700900001', destination_addr: '447700900002', short_message: `message ${i}` })),
    );

    expect(answers.every((a) => a.command_status === 0)).toBe(true);
    const ids = answers.map((a) => String(a.message_id));
    expect(new Set(ids).size).toBe(1000);
    expect(ids.every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true);
    expect(seen).toHaveLength(1000);
    expect(new Set(seen.map((s) => s.pdu.shortMessage.toString('latin1')))).toEqual(new Set(Array.from({ length: 1000 }, (_, i) => `message ${i}`)));
    expect(seen.every((s) => s.systemId === ACCOUNT.systemId)).toBe(true);
    expect(server.stats).toMatchObject({ binds: 1, submits: 1000 });
  });

  it('refuses a wrong password and an unknown system_id alike with ESME_RINVPASWD, and closes the connection', async () => {
    const server = await startServer();
    collect(server);
    const client = await connectLibraryClient(server.port);
    expect(await client.bind('transceiver', ACCOUNT.systemId, 'wrong')).toBe(Status.invalidPassword);
    await client.closed;
    expect(await bindOnce(server.port, 'nobody', ACCOUNT.password)).toBe(Status.invalidPassword);
    // A prefix of the password is not the password.
    expect(await bindOnce(server.port, ACCOUNT.systemId, 's3cret')).toBe(Status.invalidPassword);
    expect(await bindOnce(server.port, ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    expect(server.stats.bindFailures).toBe(3);
  });

  it('blocks the guessing address for that account after repeated bad binds, not other addresses, and lets it in again after the lockout', async () => {
    let now = 1_000_000;
    const server = await startServer({ now: () => now });
    const other = { systemId: 'billing', password: 'b1lling' };
    collect(server, { ...ACCOUNT, lockout: { maxFailures: 10, lockoutMs: 5 * 60_000 } });
    collect(server, other);
    const refusals: string[] = [];
    server.on('bindRefused', (info) => refusals.push(info.reason));

    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push(await bindOnce(server.port, ACCOUNT.systemId, `guess-${i}`));

    expect(statuses.slice(0, 10).every((s) => s === Status.invalidPassword)).toBe(true);
    expect(statuses.slice(10).every((s) => s === Status.bindFailed)).toBe(true);
    expect(refusals.filter((r) => r === 'locked')).toHaveLength(90);
    // Locked: even the right password is refused now...
    expect(await bindOnce(server.port, ACCOUNT.systemId, ACCOUNT.password)).toBe(Status.bindFailed);
    // ...while other addresses bind at once, and so does another account from that address (its
    // own count: the address as a whole is blocked at 3 x Max Failures over every account).
    expect(await bindFrom({ port: server.port, from: '127.0.0.2' }, ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    expect(await bindOnce(server.port, other.systemId, other.password)).toBe(0);

    now += 5 * 60_000 + 1;
    expect(await bindOnce(server.port, ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
  });

  it('refuses binds while no trigger listens, without counting them towards the lockout', async () => {
    const server = await startServer({ lockout: { maxFailures: 2, lockoutMs: 60_000 } });
    for (let i = 0; i < 5; i++) expect(await bindOnce(server.port, ACCOUNT.systemId, ACCOUNT.password)).toBe(Status.bindFailed);
    collect(server);
    expect(await bindOnce(server.port, ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
  });

  it('answers submit_sm before a bind and on a receiver bind with ESME_RINVBNDSTS', async () => {
    const server = await startServer();
    const seen = collect(server);
    const raw = await RawSmppClient.connect(server.port);
    closers.push(() => raw.destroy());
    const submit = blankMessagePdu();
    submit.destination.addr = '447700900002';
    submit.shortMessage = Buffer.from('too early');
    raw.write(encodeMessagePdu(CommandId.submitSm, 7, submit));
    const [early] = await raw.answers(1);
    expect(early).toMatchObject({ commandId: CommandId.submitSmResp, status: Status.invalidBindStatus, sequence: 7 });

    const receiver = await connectLibraryClient(server.port);
    closers.push(() => receiver.close());
    expect(await receiver.bind('receiver', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    const answer = await receiver.submit({ destination_addr: '447700900002', short_message: 'from a receiver' });
    expect(answer.command_status).toBe(Status.invalidBindStatus);
    expect(seen).toHaveLength(0);
  });

  it('answers an unknown command with generic_nack ESME_RINVCMDID, a malformed submit with generic_nack, a second bind with ESME_RALYBND', async () => {
    const server = await startServer();
    collect(server);
    const raw = await RawSmppClient.connect(server.port);
    closers.push(() => raw.destroy());
    raw.write(encodeGeneric('bind_transmitter', 1, { system_id: ACCOUNT.systemId, password: ACCOUNT.password }));
    await raw.answers(1);
    expect(raw.received[0]).toMatchObject({ status: 0, sequence: 1 });

    const unknown = Buffer.alloc(16);
    unknown.writeUInt32BE(16, 0);
    unknown.writeUInt32BE(0x0000ffee, 4);
    unknown.writeUInt32BE(2, 12);
    raw.write(unknown);
    const truncated = encodeMessagePdu(CommandId.submitSm, 3, { ...blankMessagePdu(), destination: { ton: 1, npi: 1, addr: '447700900002' } }).subarray(0, 30);
    truncated.writeUInt32BE(30, 0);
    raw.write(truncated);
    raw.write(encodeGeneric('bind_transmitter', 4, { system_id: ACCOUNT.systemId, password: ACCOUNT.password }));
    raw.write(encodeEmptyRequest(CommandId.enquireLink, 5));
    const answers = await raw.answers(5);
    expect(answers[1]).toMatchObject({ commandId: CommandId.genericNack, status: Status.invalidCommandId, sequence: 2 });
    expect(answers[2]).toMatchObject({ commandId: CommandId.genericNack, sequence: 3 });
    expect(answers[2].status).not.toBe(0);
    expect(answers[3]).toMatchObject({ commandId: smpp.commands.bind_transmitter_resp.id, status: Status.alreadyBound, sequence: 4 });
    expect(answers[4]).toMatchObject({ commandId: CommandId.enquireLinkResp, status: 0, sequence: 5 });
    expect(raw.closed).toBe(false);
  });

  it('refuses a PDU longer than the size limit with generic_nack and closes the connection', async () => {
    const server = await startServer({ maxPduLength: 1024 });
    collect(server);
    const raw = await RawSmppClient.connect(server.port);
    closers.push(() => raw.destroy());
    const huge = Buffer.alloc(16);
    huge.writeUInt32BE(5_000_000, 0);
    huge.writeUInt32BE(CommandId.submitSm, 4);
    raw.write(huge);
    await raw.untilClosed();
    expect(raw.received[0]).toMatchObject({ commandId: CommandId.genericNack, status: Status.invalidCommandLength });
  });

  it('holds at most maxOutstandingPerConnection submits in hand under a flood, and still answers every one', async () => {
    const server = await startServer({ maxOutstandingPerConnection: 5 });
    let inHand = 0;
    let peak = 0;
    const release: Array<() => void> = [];
    const subscriber: ServerSubscriber = {
      account: ACCOUNT,
      onSubmit: () => {
        inHand++;
        peak = Math.max(peak, inHand);
        return new Promise<void>((resolve) =>
          release.push(() => {
            inHand--;
            resolve();
          }),
        );
      },
    };
    server.subscribe(subscriber);
    const client = await connectLibraryClient(server.port);
    closers.push(() => client.close());
    expect(await client.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    const answers = Promise.all(Array.from({ length: 300 }, (_, i) => client.submit({ destination_addr: '447700900002', short_message: `flood ${i}` })));
    let released = 0;
    while (released < 300) {
      await new Promise((r) => setTimeout(r, 1));
      expect(inHand).toBeLessThanOrEqual(5);
      for (const r of release.splice(0)) {
        r();
        released++;
      }
    }
    const results = await answers;
    expect(peak).toBe(5);
    expect(results.filter((a) => a.command_status === 0)).toHaveLength(300);
  });

  it('answers ESME_RSYSERR when the trigger cannot take the message, so the application retries', async () => {
    const server = await startServer();
    server.subscribe({
      account: ACCOUNT,
      onSubmit: async () => {
        throw new Error('workflow store down');
      },
    });
    const client = await connectLibraryClient(server.port);
    closers.push(() => client.close());
    await client.bind('transceiver', ACCOUNT.systemId, ACCOUNT.password);
    const answer = await client.submit({ destination_addr: '447700900002', short_message: 'x' });
    expect(answer.command_status).toBe(Status.systemError);
  });

  it('delivers only to triggers of the account the ESME bound with, and unbinds sessions whose account has no trigger left', async () => {
    const server = await startServer();
    const mine = collect(server);
    const theirs = collect(server, { systemId: 'other', password: 'pw' });
    const secondSubscriber = { account: ACCOUNT, onSubmit: async () => undefined };
    const unsubscribeSecond = server.subscribe(secondSubscriber);
    const client = await connectLibraryClient(server.port);
    await client.bind('transceiver', ACCOUNT.systemId, ACCOUNT.password);
    await client.submit({ destination_addr: '447700900002', short_message: 'for shopapp' });
    expect(mine).toHaveLength(1);
    expect(theirs).toHaveLength(0);

    const other = await connectLibraryClient(server.port);
    closers.push(() => other.close());
    await other.bind('transceiver', 'other', 'pw');

    unsubscribeSecond();
    expect(server.boundSessions).toBe(2); // the first shopapp subscriber still listens
    mine.unsubscribe?.();
    await client.closed; // asked to unbind, then closed
    await waitFor(() => server.boundSessions === 1, 'the server to drop the closed session');
    await other.submit({ destination_addr: '447700900002', short_message: 'for other' });
    expect(theirs).toHaveLength(1);
  });

  it('speaks TLS when given a key and certificate', async () => {
    const dir = join(__dirname, '..', '..', 'fixtures', 'tls');
    const server = await startServer({
      tls: { key: readFileSync(join(dir, 'sandbox-key.pem'), 'utf8'), cert: readFileSync(join(dir, 'sandbox-cert.pem'), 'utf8') },
    });
    const seen = collect(server);
    const client = await connectLibraryClient(server.port, { tls: true });
    closers.push(() => client.close());
    expect(await client.bind('transceiver', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    const answer = await client.submit({ destination_addr: '447700900002', short_message: 'over tls' });
    expect(answer.command_status).toBe(0);
    expect(seen[0].pdu.shortMessage.toString()).toBe('over tls');
  });
});
