import { CommandId } from '../../src/transport/smpp/pdu/command-ids';
import { decodeFrame, encodeEmptyRequest, encodeGeneric, encodeSimpleResponse } from '../../src/transport/smpp/pdu/pdu-codec';
import { encodeMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import { Status } from '../../src/transport/smpp/command-status';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { SmppBindError, SmppSubmitError } from '../../src/transport/smpp/types';
import type { InboundMessage, SmppTransportOptions } from '../../src/transport/smpp/types';
import { simpleSubmit } from '../support/messages';
import { waitFor } from '../support/sandbox';
import { fuzzSample, withSeedOnFailure } from '../fuzz/support/fuzz-run';
import { mutatedFrameArb } from '../fuzz/support/pdu-mutations';
import { loadPduFixtures } from '../fuzz/support/pdu-fixtures';
import { checkAnswers, describeReport, sentAfterFirst, stampSequences } from './support/answer-oracle';
import { HostileSmsc } from './support/hostile-smsc';
import type { HostileConnection } from './support/hostile-smsc';
import { MiB, describeGrowth, readMemory } from './support/memory';

/**
 * Our SMPP client transport facing a hostile SMSC (a raw TCP server scripted per connection):
 * garbage and hostile lengths, mutated PDUs of every kind, answers to requests never made,
 * deliver_sm floods. The process must not crash, the transport answers what it owes, drops and
 * re-binds a link it cannot read, and real submits still get their own answers.
 * Replay: FUZZ_SEED=<seed> npx jest test/security/transport-hostile-smsc
 */

const SEEDS = loadPduFixtures().map((f) => f.frame);

describe('SMPP transport facing a hostile SMSC', () => {
  let smsc: HostileSmsc;
  let transport: SmppTransport | null = null;

  function makeTransport(extra: Partial<SmppTransportOptions> = {}): SmppTransport {
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
  }

  afterEach(async () => {
    await transport?.close(200);
    transport = null;
    await smsc.close();
  });

  it.each([
    ['0xffffffff', Buffer.from([0xff, 0xff, 0xff, 0xff])],
    ['zero', Buffer.alloc(16)],
    ['15', Buffer.from([0, 0, 0, 15, 1, 2, 3])],
    ['65,537', Buffer.from([0, 1, 0, 1])],
    ['text', Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n', 'latin1')],
  ])('drops the link on a %s command_length, re-binds and delivers the message on the next one', async (_name, garbage) => {
    smsc = await HostileSmsc.start((conn) => {
      if (conn.index > 0) return;
      conn.onFrame = (frame) => (frame.commandId === CommandId.submitSm ? conn.send(garbage) : conn.answerPolitely(frame));
    });
    const t = makeTransport();
    const reasons: string[] = [];
    t.on('disconnected', (info) => reasons.push(info.reason));
    await t.start();
    const result = await t.submit(simpleSubmit('447700900001'));
    const first = await smsc.connection(0);
    expect(first.closed).toBe(true);
    expect(reasons[0]).toMatch(/unreadable data from the carrier: command_length \d+ is outside/);
    // Sent once without an answer before the drop: the carrier may have it, and we say so.
    expect(result).toMatchObject({ messageId: expect.stringMatching(/^m\d+$/), possibleDuplicate: true, attempts: 2 });
    expect(smsc.connections.length).toBe(2);
  });

  // Found by this suite and fixed in 20d46c9: the nack was written and the socket destroyed in
  // the same tick, so the corked nack never left.
  it('tells the SMSC why it drops the link: generic_nack ESME_RINVCMDLEN before closing', async () => {
    smsc = await HostileSmsc.start((conn) => {
      conn.onFrame = (frame) =>
        frame.commandId === CommandId.submitSm && conn.index === 0 ? conn.send(Buffer.from([0xff, 0xff, 0xff, 0xff])) : conn.answerPolitely(frame);
    });
    const t = makeTransport();
    await t.start();
    await t.submit(simpleSubmit('447700900001'));
    const nack = (await smsc.connection(0)).responses().find((f) => f.commandId === CommandId.genericNack);
    expect([nack?.status, nack?.sequence]).toEqual([Status.invalidCommandLength, 0]);
  });

  // Fixed: the transport answers the deliver_sm in progress before unbind_resp (no redelivery, no duplicate).
  it('acknowledges a deliver_sm that arrived just before an unbind before it answers the unbind', async () => {
    smsc = await HostileSmsc.start();
    const t = makeTransport();
    t.addInboundHandler(async () => undefined);
    await t.start();
    const conn = await smsc.connection(0);
    conn.send(Buffer.concat([encodeMessagePdu(CommandId.deliverSm, 41, simpleSubmit('447700900009', 'MO')), encodeEmptyRequest(CommandId.unbind, 42)]));
    await conn.waitUntil(() => conn.closed, 'the transport to close after unbind');
    expect(conn.responses().map((f) => [f.commandId, f.sequence])).toEqual([
      [CommandId.deliverSmResp, 41],
      [CommandId.unbindResp, 42],
    ]);
  });

  // Fixed: nothing read behind an unbind is handed on.
  it('hands nothing to the workflow that arrives behind an unbind in the same read', async () => {
    smsc = await HostileSmsc.start();
    const t = makeTransport();
    const inbound: InboundMessage[] = [];
    t.addInboundHandler((m) => void inbound.push(m));
    await t.start();
    const conn = await smsc.connection(0);
    conn.send(
      Buffer.concat([encodeEmptyRequest(CommandId.unbind, 50), encodeMessagePdu(CommandId.deliverSm, 51, simpleSubmit('447700900011', 'after unbind'))]),
    );
    await conn.waitUntil(() => conn.closed, 'the transport to close after unbind');
    expect(inbound).toEqual([]);
  });

  // Fixed in c737bb6: PDUs in the same TCP read as the bind_resp used to be emitted to no listener
  // and lost (SMSCs push queued MOs and receipts right behind bind_resp).
  it('takes a deliver_sm the SMSC sends in the same TCP segment as the bind_resp', async () => {
    smsc = await HostileSmsc.start((conn) => {
      conn.onFrame = (frame) => {
        if (frame.commandId !== CommandId.bindTransceiver) return conn.answerPolitely(frame);
        const bindResp = encodeGeneric('bind_transceiver_resp', frame.sequence, { system_id: 'HOSTILE' });
        conn.send(Buffer.concat([bindResp, encodeMessagePdu(CommandId.deliverSm, 77, simpleSubmit('447700900010', 'queued MO'))]));
      };
    });
    const t = makeTransport();
    const inbound: InboundMessage[] = [];
    t.addInboundHandler((m) => void inbound.push(m));
    await t.start();
    const conn = await smsc.connection(0);
    await conn.waitUntil(() => conn.responses().some((f) => f.sequence === 77), 'deliver_sm_resp for the queued MO', 2_000);
    expect(inbound.map((m) => m.pdu.shortMessage.toString('latin1'))).toEqual(['queued MO']);
  });

  it('waits out a legal but never-finished 64 KiB PDU: the submit times out, the link is replaced, the message goes through', async () => {
    smsc = await HostileSmsc.start((conn) => {
      if (conn.index > 0) return;
      conn.onFrame = (frame) =>
        frame.commandId === CommandId.submitSm ? conn.send(Buffer.concat([Buffer.from([0, 1, 0, 0]), Buffer.alloc(100, 0x41)])) : conn.answerPolitely(frame);
    });
    const t = makeTransport({ responseTimeoutMs: 300 });
    await t.start();
    const result = await t.submit(simpleSubmit('447700900002'));
    expect(result).toMatchObject({ possibleDuplicate: true, attempts: 2 });
    expect((await smsc.connection(0)).closed).toBe(true);
  });

  it('answers each of 3,000 mutated PDUs from the SMSC exactly once, accepts only well-formed deliver_sm, and keeps sending', async () => {
    await withSeedOnFailure('transport mutated SMSC frames', async () => {
      smsc = await HostileSmsc.start();
      const t = makeTransport();
      const inbound: InboundMessage[] = [];
      t.addInboundHandler((m) => void inbound.push(m));
      let binds = 0;
      t.on('bound', () => binds++);
      await t.start();
      // Without the unbind seed, and in batches of 25: an unbind (still made by mutations) ends a
      // batch's connection, and too many of them would leave little of each batch to judge.
      const seeds = loadPduFixtures()
        .filter((f) => !f.name.endsWith('unbind'))
        .map((f) => f.frame);
      const cases = fuzzSample(mutatedFrameArb(seeds, { fixLength: true, minLength: 16 }), 3_000, 606);
      let sequence = 10_000;
      let connectionIndex = 0;
      let wellFormedSent = 0;
      let wellFormedAcked = 0;
      const BATCH = 25;
      for (let start = 0; start < cases.length; start += BATCH) {
        const conn: HostileConnection = await smsc.connection(connectionIndex);
        // Only once the transport is bound on this connection (what it gets before is the bind
        // phase's business, tested on its own below).
        await waitFor(() => binds > connectionIndex || conn.closed, 'the transport to bind');
        if (conn.closed) {
          connectionIndex++;
          start -= BATCH; // the transport re-binds on a new connection: send this batch there
          continue;
        }
        const firstFrame = conn.frames.length;
        const { bytes, sent } = stampSequences(cases.slice(start, start + BATCH), sequence);
        sequence += sent.length;
        const sentinel = sequence++;
        conn.send(Buffer.concat([bytes, encodeEmptyRequest(CommandId.enquireLink, sentinel)]));
        await conn.waitUntil(() => conn.closed || conn.frames.slice(firstFrame).some((f) => f.sequence === sentinel), 'the answer to the sentinel');
        await conn.waitUntil(() => conn.closed || checkAnswers(sent, conn.frames.slice(firstFrame)).unanswered.length === 0, 'answers to the batch');
        const answers = conn.frames.slice(firstFrame);
        const report = checkAnswers(sent, answers, new Set([sentinel]));
        // The transport closes a link only after answering an unbind. Until the open bug below
        // ("acknowledges a deliver_sm that arrived just before an unbind") is fixed, the
        // deliver_sm of a batch that ends in an unbind may also go unanswered.
        const unbindClosed = conn.closed && sent.some((s) => s.commandId === CommandId.unbind);
        const mayBeLost = unbindClosed ? sentAfterFirst(sent, (s) => s.commandId === CommandId.unbind) : new Set<number>();
        if (unbindClosed) for (const s of sent) if (s.commandId === CommandId.deliverSm) mayBeLost.add(s.sequence);
        if (conn.closed) expect(sent.some((s) => s.commandId === CommandId.unbind)).toBe(true);
        const unanswered = report.unanswered.filter((s) => !mayBeLost.has(s.sequence));
        expect(describeReport({ ...report, unanswered })).toBe(describeReport({ unanswered: [], duplicated: [], mismatched: [], phantom: [] }));
        expect(conn.framingError).toBeNull();
        // A deliver_sm is acknowledged (status 0) exactly when it decodes as a message.
        const frames = cases.slice(start, start + BATCH);
        for (const [i, s] of sent.entries()) {
          if (s.commandId !== CommandId.deliverSm) continue;
          const wellFormed = decodeFrame(frames[i]).kind === 'message';
          if (wellFormed) wellFormedSent++;
          const answer = answers.find((f) => f.sequence === s.sequence);
          if (answer?.status === 0) wellFormedAcked++;
          if (mayBeLost.has(s.sequence)) continue;
          expect({ seq: s.sequence, acked: answer?.status === 0 }).toEqual({ seq: s.sequence, acked: wellFormed });
        }
      }
      // Every acknowledged deliver_sm reached the handler; around an unbind some reach it unacknowledged (see the open bugs).
      expect(inbound.length).toBeGreaterThanOrEqual(wellFormedAcked);
      expect(inbound.length).toBeLessThanOrEqual(wellFormedSent);
      expect(wellFormedAcked).toBeGreaterThan(50);
      // Stray submit_sm_resp / generic_nack did not disturb the window: real submits get their own answers.
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => t.submit(simpleSubmit(`4477009${String(i).padStart(5, '0')}`))));
      expect(results.every((r) => /^m\d+$/.test(r.messageId))).toBe(true);
    });
  });

  it('ignores 10,000 submit_sm_resp for sequence numbers it never used: every submit gets its own message id', async () => {
    smsc = await HostileSmsc.start((conn) => {
      conn.onFrame = (frame) => {
        if (frame.commandId === CommandId.submitSm) {
          const bogus = Array.from({ length: 200 }, (_, i) =>
            encodeSimpleResponse(CommandId.submitSmResp, i % 3 === 0 ? Status.throttled : 0, 0x70000000 + frame.sequence * 1000 + i, 'bogus'),
          );
          conn.send(Buffer.concat([...bogus, encodeSimpleResponse(CommandId.genericNack, Status.systemError, 0x7fff0000 + frame.sequence)]));
        }
        conn.answerPolitely(frame);
      };
    });
    const t = makeTransport({ windowSize: 10 });
    await t.start();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => t.submit(simpleSubmit(`447700${String(i).padStart(6, '0')}`))));
    expect(results.map((r) => r.messageId)).not.toContain('bogus');
    expect(new Set(results.map((r) => r.messageId)).size).toBe(50);
    expect(results.every((r) => !r.possibleDuplicate && r.attempts === 1)).toBe(true);
    expect(t.metrics()).toMatchObject({ acked: 50, failed: 0, reconnects: 0 });
  });

  it('answers a flood of 10,000 deliver_sm with 10,000 deliver_sm_resp, hands each to the handler once, and keeps memory bounded', async () => {
    smsc = await HostileSmsc.start();
    const t = makeTransport();
    let handled = 0;
    t.addInboundHandler(async () => {
      handled++;
    });
    await t.start();
    const conn = await smsc.connection(0);
    const receipt = SEEDS[loadPduFixtures().findIndex((f) => f.name === 'ours-deliver-receipt')];
    const before = readMemory();
    const flood = Buffer.concat(
      Array.from({ length: 10_000 }, (_, i) => {
        const frame = Buffer.from(receipt);
        frame.writeUInt32BE(i + 100, 12);
        return frame;
      }),
    );
    conn.send(flood);
    await conn.waitUntil(() => conn.responses().length >= 10_000, '10,000 deliver_sm_resp');
    const answers = conn.responses();
    expect(answers.every((f) => f.commandId === CommandId.deliverSmResp && f.status === 0)).toBe(true);
    expect(answers.map((f) => f.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 100));
    expect(handled).toBe(10_000);
    expect(t.metrics().deliverReceived).toBe(10_000);
    const after = readMemory();
    expect({ bounded: after.retained - before.retained < 64 * MiB, detail: describeGrowth(before, after) }).toMatchObject({ bounded: true });
    expect((await t.submit(simpleSubmit('447700900003'))).messageId).toMatch(/^m\d+$/);
  });

  it('reports a refused bind from a hostile SMSC as an SmppBindError with its status', async () => {
    smsc = await HostileSmsc.start((conn) => {
      conn.onFrame = (frame) => conn.send(encodeSimpleResponse((frame.commandId | 0x80000000) >>> 0, Status.bindFailed, frame.sequence));
    });
    const err = await makeTransport()
      .start()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmppBindError);
    expect((err as SmppBindError).status).toBe(Status.bindFailed);
  });

  // Found by this suite and fixed in 20d46c9: the bind used to wait out connectTimeoutMs and then
  // blame a missing answer ("is it a TLS port?").
  it('fails a bind answered with garbage at once, saying the data was unreadable', async () => {
    smsc = await HostileSmsc.start((conn) => {
      conn.onFrame = () => conn.send(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    });
    const err = await makeTransport({ connectTimeoutMs: 1_500 })
      .start()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmppBindError);
    expect((err as Error).message).toMatch(/unreadable|command_length/);
  });

  // Found by this suite and fixed in 20d46c9: the PduFieldError thrown by the encoder inside
  // SubmitWindow.pump left the message's promise unsettled and, when pump ran from a
  // submit_sm_resp, escaped the socket's 'data' listener as an uncaught exception (process crash).
  it('rejects a message it cannot encode with an error instead of throwing from the socket handler', async () => {
    smsc = await HostileSmsc.start();
    const t = makeTransport({ windowSize: 1 });
    await t.start();
    const good = t.submit(simpleSubmit('447700900004'));
    const bad = t.submit(simpleSubmit('447700900005', 'x', { serviceType: 'PREMIUM' }));
    expect((await good).messageId).toMatch(/^m\d+$/);
    // Before the fix the promise never settled: give up after a moment rather than wait for jest's timeout.
    const outcome = await Promise.race([bad.catch((e: unknown) => e), new Promise((r) => setTimeout(() => r('still pending'), 2_000))]);
    expect(outcome).toBeInstanceOf(SmppSubmitError);
    expect((outcome as SmppSubmitError).reason).toBe('invalid');
  });

  it('keeps a deliver_sm handler failure to a temporary error answer (redelivery), not a crash', async () => {
    smsc = await HostileSmsc.start();
    const t = makeTransport();
    t.addInboundHandler(() => {
      throw new Error('handler exploded');
    });
    await t.start();
    const conn = await smsc.connection(0);
    conn.send(encodeMessagePdu(CommandId.deliverSm, 42, simpleSubmit('447700900006', 'MO text')));
    await conn.waitUntil(() => conn.responses().some((f) => f.sequence === 42), 'deliver_sm_resp');
    expect(conn.responses().find((f) => f.sequence === 42)?.status).toBe(0x64); // ESME_RX_T_APPN
  });
});
