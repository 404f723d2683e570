import { CommandId } from '../../../src/transport/smpp/pdu/command-ids';
import { encodeEmptyRequest, encodeSimpleResponse } from '../../../src/transport/smpp/pdu/pdu-codec';
import { Status } from '../../../src/transport/smpp/command-status';
import { SmppTransport } from '../../../src/transport/smpp/smpp-transport';
import type { SmppTransportOptions, SubmitResult } from '../../../src/transport/smpp/types';
import { HostileSmsc } from '../../security/support/hostile-smsc';
import type { HostileConnection } from '../../security/support/hostile-smsc';
import type { WireFrame } from '../../security/support/raw-peer';
import { numberRange, simpleSubmit } from '../../support/messages';
import { startSandbox } from '../../support/sandbox';

/**
 * What a carrier's maintenance looks like on the wire, and what we owe it (SMPP 3.4 §4.2): after
 * its unbind we write no new request on that connection, keep settling the answers it still
 * sends, answer unbind_resp, then rebind and send only what was never answered. Also: answers read
 * in the same chunk as a frame with a bad length, and ESME_RINVBNDSTS (rebind, do not fail).
 * Each message id says which connection answered it (c<connection>-<sequence>).
 */
describe('SMPP transport: the carrier unbinds, answers late, or says our bind is wrong', () => {
  let smsc: HostileSmsc;
  let transport: SmppTransport | null = null;

  const makeTransport = (extra: Partial<SmppTransportOptions> = {}): SmppTransport => {
    transport = new SmppTransport({
      host: '127.0.0.1',
      port: smsc.port,
      systemId: 'esme',
      password: 'pw',
      enquireLinkMs: 0,
      responseTimeoutMs: 5_000,
      connectTimeoutMs: 5_000,
      reconnectBaseMs: 10,
      reconnectMaxMs: 50,
      reconnectAttempts: 0,
      ...extra,
    });
    return transport;
  };
  const answer = (conn: HostileConnection, frame: WireFrame, status = 0): void =>
    conn.send(encodeSimpleResponse(CommandId.submitSmResp, status, frame.sequence, status === 0 ? `c${conn.index}-${frame.sequence}` : ''));
  /** A well-behaved SMSC on this connection: every submit accepted at once. */
  const answerEverySubmit = (conn: HostileConnection): void => {
    conn.onFrame = (frame) => (frame.commandId === CommandId.submitSm ? answer(conn, frame) : conn.answerPolitely(frame));
  };
  const submits = (conn: HostileConnection): WireFrame[] => conn.frames.filter((f) => f.commandId === CommandId.submitSm);

  afterEach(async () => {
    await transport?.close(200);
    transport = null;
    await smsc.close();
  });

  it('settles the answers the carrier sends after its unbind, writes nothing new there, and resends nothing', async () => {
    const UNBIND_SEQ = 900;
    smsc = await HostileSmsc.start((conn) => {
      if (conn.index > 0) return answerEverySubmit(conn);
      const held: WireFrame[] = [];
      conn.onFrame = (frame) => {
        if (frame.commandId === CommandId.unbindResp) return void conn.socket.end();
        if (frame.commandId !== CommandId.submitSm) return conn.answerPolitely(frame);
        held.push(frame);
        if (held.length !== 5) return;
        // Maintenance: unbind first, then (later) the answers to the five submits it took.
        conn.send(encodeEmptyRequest(CommandId.unbind, UNBIND_SEQ));
        setTimeout(() => held.forEach((f) => answer(conn, f)), 150);
      };
    });
    const t = makeTransport({ windowSize: 5 });
    await t.start();
    const numbers = numberRange(12, 447700900100);
    const results: SubmitResult[] = await Promise.all(numbers.map((n) => t.submit(simpleSubmit(n))));
    const [first, second] = [await smsc.connection(0), await smsc.connection(1)];

    // The five the carrier answered after its unbind keep its answers: no resend, no duplicate flag.
    expect(results.slice(0, 5).map((r) => [r.messageId.split('-')[0], r.possibleDuplicate, r.attempts])).toEqual(Array(5).fill(['c0', false, 1]));
    expect(results.slice(5).every((r) => r.messageId.startsWith('c1-') && !r.possibleDuplicate)).toBe(true);
    // Nothing new was written to the connection that received the unbind; the rest went on the new bind, once each.
    expect(submits(first)).toHaveLength(5);
    expect(submits(second)).toHaveLength(7);
    // unbind_resp came last on the old connection, after every answer was settled.
    const lastFromClient = first.frames[first.frames.length - 1];
    expect([lastFromClient.commandId, lastFromClient.sequence]).toEqual([CommandId.unbindResp, UNBIND_SEQ]);
  });

  it.each([
    [5, 1],
    [50, 40],
  ])('window %i: %i answers and the unbind in one TCP write: nothing is written after the unbind, and nothing is sent twice', async (window, answeredFirst) => {
    smsc = await HostileSmsc.start((conn) => {
      if (conn.index > 0) return answerEverySubmit(conn);
      const held: WireFrame[] = [];
      conn.onFrame = (frame) => {
        if (frame.commandId === CommandId.unbindResp) return void conn.socket.end();
        if (frame.commandId !== CommandId.submitSm) return conn.answerPolitely(frame);
        held.push(frame);
        if (held.length !== window) return; // requests behind the unbind: taken, never answered
        // Maintenance, as an SMSC that batches its writes does it: answers, then unbind, one write.
        const answers = held.slice(0, answeredFirst).map((f) => encodeSimpleResponse(CommandId.submitSmResp, 0, f.sequence, `c0-${f.sequence}`));
        conn.send(Buffer.concat([...answers, encodeEmptyRequest(CommandId.unbind, 900)]));
        setTimeout(() => held.slice(answeredFirst).forEach((f) => answer(conn, f)), 100);
      };
    });
    const t = makeTransport({ windowSize: window });
    await t.start();
    const results = await Promise.all(numberRange(window * 3, 447700905000).map((n) => t.submit(simpleSubmit(n))));
    const first = await smsc.connection(0);
    expect(submits(first)).toHaveLength(window);
    expect(results.filter((r) => r.possibleDuplicate)).toHaveLength(0);
    const everySubmit = smsc.connections.flatMap(submits).length;
    expect(everySubmit).toBe(window * 3);
  });

  it('after an unbind that is never followed by the answers, unbinds within the response timeout and resends those as possible duplicates', async () => {
    smsc = await HostileSmsc.start((conn) => {
      if (conn.index > 0) return answerEverySubmit(conn);
      conn.onFrame = (frame) => {
        if (frame.commandId === CommandId.unbindResp) return void conn.socket.end();
        if (frame.commandId === CommandId.submitSm) conn.send(encodeEmptyRequest(CommandId.unbind, 7));
        else conn.answerPolitely(frame);
      };
    });
    const t = makeTransport({ windowSize: 1, responseTimeoutMs: 300 });
    await t.start();
    const result = await t.submit(simpleSubmit('447700900200'));
    expect(result).toMatchObject({ messageId: expect.stringMatching(/^c1-/), possibleDuplicate: true, attempts: 2 });
    const first = await smsc.connection(0);
    expect(first.frames.some((f) => f.commandId === CommandId.unbindResp && f.sequence === 7)).toBe(true);
  });

  it('keeps every good answer read in the same chunk as a frame with an impossible command_length', async () => {
    smsc = await HostileSmsc.start((conn) => {
      if (conn.index > 0) return answerEverySubmit(conn);
      const held: WireFrame[] = [];
      conn.onFrame = (frame) => {
        if (frame.commandId !== CommandId.submitSm) return conn.answerPolitely(frame);
        held.push(frame);
        if (held.length < 3) return;
        // Three good answers, then garbage, in one write (one TCP chunk on loopback).
        const good = held.map((f) => encodeSimpleResponse(CommandId.submitSmResp, 0, f.sequence, `c0-${f.sequence}`));
        conn.send(Buffer.concat([...good, Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])]));
      };
    });
    const t = makeTransport({ windowSize: 3 });
    await t.start();
    const results = await Promise.all(numberRange(3, 447700900300).map((n) => t.submit(simpleSubmit(n))));
    expect(results.map((r) => [r.messageId.split('-')[0], r.possibleDuplicate])).toEqual(Array(3).fill(['c0', false]));
    const first = await smsc.connection(0);
    await first.waitUntil(() => first.closed, 'the transport to drop the unreadable link');
    // Nothing resent on a new connection (if one was opened at all).
    expect(smsc.connections.slice(1).flatMap(submits)).toHaveLength(0);
  });

  it('rebinds on ESME_RINVBNDSTS and sends the refused message on the new bind, once', async () => {
    smsc = await HostileSmsc.start((conn) => {
      conn.onFrame = (frame) => {
        if (frame.commandId !== CommandId.submitSm) return conn.answerPolitely(frame);
        // The first connection forgets our bind at its third submit.
        answer(conn, frame, conn.index === 0 && submits(conn).length >= 3 ? Status.invalidBindStatus : 0);
      };
    });
    const t = makeTransport({ windowSize: 1 });
    let binds = 0;
    t.on('bound', () => binds++);
    await t.start();
    const results: SubmitResult[] = [];
    for (const n of numberRange(5, 447700900400)) results.push(await t.submit(simpleSubmit(n)));
    expect(results.map((r) => r.messageId.split('-')[0])).toEqual(['c0', 'c0', 'c1', 'c1', 'c1']);
    expect(results[2]).toMatchObject({ possibleDuplicate: false });
    expect(binds).toBe(2);
    expect(submits(await smsc.connection(0))).toHaveLength(3);
    expect(submits(await smsc.connection(1))).toHaveLength(3);
  });

  it('fails the message with the reason when every bind answers ESME_RINVBNDSTS (no endless rebinding)', async () => {
    smsc = await HostileSmsc.start((conn) => {
      conn.onFrame = (frame) => (frame.commandId === CommandId.submitSm ? answer(conn, frame, Status.invalidBindStatus) : conn.answerPolitely(frame));
    });
    const t = makeTransport({ windowSize: 1, maxAttempts: 3 });
    await t.start();
    await expect(t.submit(simpleSubmit('447700900500'))).rejects.toMatchObject({
      reason: 'retries_exhausted',
      statusName: 'ESME_RINVBNDSTS',
      possibleDuplicate: false,
      message: expect.stringMatching(/ESME_RINVBNDSTS .* after 3 attempts/),
    });
    // One submit per bind, three binds: then the message fails instead of looping.
    expect(smsc.connections.slice(0, 3).map((c) => submits(c).length)).toEqual([1, 1, 1]);
    expect(smsc.connections.flatMap(submits)).toHaveLength(3);
  });

  it('the sandbox SMSC going down for maintenance mid-run (unbind, then the answers): every message once, none flagged', async () => {
    const sandbox = await startSandbox({ recordMode: 'count', faults: { latencyMs: 30 } });
    try {
      const t = new SmppTransport({
        host: '127.0.0.1',
        port: sandbox.port,
        systemId: 'sandbox',
        password: 'sandbox',
        enquireLinkMs: 0,
        windowSize: 10,
        reconnectBaseMs: 10,
        reconnectMaxMs: 50,
        responseTimeoutMs: 5000,
      });
      let binds = 0;
      t.on('bound', () => binds++);
      await t.start();
      let unbound = 0;
      const results = await Promise.all(
        numberRange(200, 447911300000).map((n) =>
          t.submit(simpleSubmit(n)).then((r) => {
            if (sandbox.stats.accepted >= 50 && !unbound) unbound = sandbox.unbindSessions();
            return r;
          }),
        ),
      );
      await t.close(100);
      expect(unbound).toBe(1);
      expect(binds).toBe(2);
      expect(results.filter((r) => r.possibleDuplicate)).toEqual([]);
      expect(sandbox.store.uniqueDestinations()).toBe(200);
      expect(sandbox.store.duplicates().extraCopies).toBe(0);
    } finally {
      await sandbox.stop();
    }
  });
});
