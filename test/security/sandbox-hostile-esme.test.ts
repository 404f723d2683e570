import fc from 'fast-check';
import * as smpp from 'smpp';
import { CommandId } from '../../src/transport/smpp/pdu/command-ids';
import { encodeEmptyRequest, encodeGeneric } from '../../src/transport/smpp/pdu/pdu-codec';
import { encodeMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import { Status } from '../../src/transport/smpp/command-status';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';
import { simpleSubmit } from '../support/messages';
import { fuzzSample, withSeedOnFailure } from '../fuzz/support/fuzz-run';
import { mutatedFrameArb } from '../fuzz/support/pdu-mutations';
import { loadPduFixtures } from '../fuzz/support/pdu-fixtures';
import { referenceSplit } from '../fuzz/support/reference-split';
import { checkAnswers, describeReport, isRequest, sentAfterFirst, stampSequences } from './support/answer-oracle';
import type { SentFrame } from './support/answer-oracle';
import { RawPeer } from './support/raw-peer';
import { SteadyClient } from './support/steady-client';
import { MiB, describeGrowth, readMemory, waitUntilSettled } from './support/memory';

/**
 * The sandbox SMSC under hostile ESMEs over real TCP: mutated real PDUs in batches, broken
 * framing, hostile lengths, floods. Every case checks what the server owes (one answer per
 * request, generic_nack + close for a bad length), and a well-behaved client on another
 * connection keeps binding and submitting throughout. Cases are drawn from FUZZ_SEED; replay a
 * failure with FUZZ_SEED=<printed seed> npx jest test/security/sandbox-hostile-esme
 */

const FUZZER = { systemId: 'fuzzer', password: 'fuzzpass' };
const SEEDS = loadPduFixtures().map((f) => f.frame);
const MAX_PDU = 65_536; // SmppSocket's default

/** Runs jobs with at most `limit` at once. */
async function pool<T>(items: T[], limit: number, job: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await job(items[i], i);
      }
    }),
  );
}

describe('sandbox SMSC facing hostile ESMEs (fuzz over TCP)', () => {
  let smsc: SandboxSmsc;
  let steady: SteadyClient;
  let sequence = 10_000;

  beforeAll(async () => {
    smsc = await startSandbox({
      accounts: [{ systemId: 'sandbox', password: 'sandbox' }, FUZZER],
      maxStoredMessages: 2_000,
      receipt: { outcome: 'DELIVRD', delayMs: 5 },
    });
    steady = await SteadyClient.start(sandboxTransportOptions(smsc, { windowSize: 4 }));
  });

  afterAll(async () => {
    await steady.stop();
    await smsc.stop();
  });

  afterEach(() => {
    expect(steady.failures).toEqual([]);
  });

  async function boundPeer(): Promise<RawPeer> {
    const peer = await RawPeer.connect(smsc.port);
    expect(await peer.bind('transceiver', FUZZER.systemId, FUZZER.password, 1)).toBe(Status.ok);
    return peer;
  }

  it('answers each of 5,000 mutated requests exactly once (or closes only after an unbind), over a few connections in batches', async () => {
    await withSeedOnFailure('sandbox mutated batches', async () => {
      const cases = fuzzSample(mutatedFrameArb(SEEDS, { fixLength: true, minLength: 16 }), 5_000, 101);
      const shares = [0, 1, 2, 3].map((k) => cases.filter((_, i) => i % 4 === k));
      let connections = 0;
      const before = steady.acked;
      await Promise.all(
        shares.map(async (share) => {
          let peer: RawPeer | null = null;
          for (let start = 0; start < share.length; start += 100) {
            if (!peer || peer.closed) {
              peer = await boundPeer();
              connections++;
            }
            const { bytes, sent } = stampSequences(share.slice(start, start + 100), sequence);
            const firstFrame = peer.frames.length;
            sequence += sent.length;
            const sentinel = sequence++;
            peer.send(Buffer.concat([bytes, encodeEmptyRequest(CommandId.enquireLink, sentinel)]));
            const current: RawPeer = peer;
            const requestsAnswered = (): boolean => checkAnswers(sent, current.frames).unanswered.length === 0;
            await peer.waitUntil(() => current.closed || (requestsAnswered() && current.frames.some((f) => f.sequence === sentinel)), 'answers to a batch');
            const report = checkAnswers(sent, peer.frames.slice(firstFrame), new Set([1, sentinel]));
            // The sandbox closes a connection only after answering an unbind.
            const mayBeLost = peer.closed ? sentAfterFirst(sent, (s) => s.commandId === CommandId.unbind) : new Set<number>();
            if (peer.closed) expect(sent.some((s) => s.commandId === CommandId.unbind)).toBe(true);
            const unanswered = report.unanswered.filter((s) => !mayBeLost.has(s.sequence));
            expect(describeReport({ ...report, unanswered })).toBe(describeReport({ unanswered: [], duplicated: [], mismatched: [], phantom: [] }));
            expect(peer.framingError).toBeNull();
          }
          peer?.destroy();
        }),
      );
      expect(connections).toBeGreaterThanOrEqual(4);
      // The well-behaved client went on submitting while this ran, and still does.
      expect(steady.acked).toBeGreaterThan(before);
      await steady.waitForMore(20);
    });
  });

  it('answers 2,000 random bodies under every request command id it knows (binds, broadcast_sm, query_sm, ...) exactly once', async () => {
    await withSeedOnFailure('sandbox generic commands', async () => {
      const requestIds = Object.values(smpp.commands)
        .map((c) => c.id)
        .filter((id) => isRequest(id) && id !== CommandId.unbind);
      const bodyArb = fc.oneof(
        fc.uint8Array({ maxLength: 120 }).map((a) => Buffer.from(a)),
        fc.array(fc.string({ maxLength: 30 }), { maxLength: 10 }).map((parts) => Buffer.from(parts.join('\0'), 'latin1')),
      );
      const frameArb = fc.tuple(fc.constantFrom(...requestIds), bodyArb).map(([id, body]) => {
        const frame = Buffer.concat([Buffer.alloc(16), body]);
        frame.writeUInt32BE(frame.length, 0);
        frame.writeUInt32BE(id, 4);
        return frame;
      });
      const frames = fuzzSample(frameArb, 2_000, 707);
      const peer = await boundPeer();
      for (let start = 0; start < frames.length; start += 200) {
        const firstFrame = peer.frames.length;
        const { bytes, sent } = stampSequences(frames.slice(start, start + 200), sequence);
        sequence += sent.length;
        peer.send(bytes);
        await peer.waitUntil(() => peer.closed || checkAnswers(sent, peer.frames.slice(firstFrame)).unanswered.length === 0, 'answers to generic commands');
        expect(peer.closed).toBe(false);
        expect(describeReport(checkAnswers(sent, peer.frames.slice(firstFrame), new Set([1])))).toBe(
          describeReport({ unanswered: [], duplicated: [], mismatched: [], phantom: [] }),
        );
      }
      peer.destroy();
      await steady.waitForMore(10);
    });
  });

  it('survives 1,500 connections of broken framing: generic_nack + close on a bad command_length, answers for every complete request otherwise', async () => {
    await withSeedOnFailure('sandbox broken framing', async () => {
      const streams = fuzzSample(fc.array(mutatedFrameArb(SEEDS, { fixLength: false }), { minLength: 1, maxLength: 3 }), 1_500, 202);
      let badLengthCases = 0;
      await pool(streams, 16, async (frames) => {
        const peer = await boundPeer();
        const stream = Buffer.concat(frames);
        const expected = referenceSplit(stream, MAX_PDU);
        const complete: SentFrame[] = expected.frames.map((f) => ({ commandId: f.readUInt32BE(4), sequence: f.readUInt32BE(12) }));
        peer.send(stream);
        if (expected.badLength) {
          badLengthCases++;
          await peer.waitUntil(() => peer.closed, 'the server to close after a bad command_length');
          const last = peer.frames[peer.frames.length - 1];
          const closedByUnbind = complete.some((s) => s.commandId === CommandId.unbind) && last?.commandId === CommandId.unbindResp;
          if (!closedByUnbind) expect([last?.commandId, last?.status, last?.sequence]).toEqual([CommandId.genericNack, Status.invalidCommandLength, 0]);
        } else {
          peer.socket.end(); // what is left is an unfinished frame at most: our FIN must close the session
          await peer.waitUntil(() => peer.closed, 'the server to close after our FIN');
          // Mutated sequence numbers may repeat; judge only the requests whose sequence is unique.
          const counts = new Map<number, number>();
          for (const s of complete) counts.set(s.sequence, (counts.get(s.sequence) ?? 0) + 1);
          const unique = complete.filter((s) => counts.get(s.sequence) === 1 && s.sequence !== 1);
          const report = checkAnswers(unique, peer.frames, new Set([1, ...complete.map((s) => s.sequence)]));
          const mayBeLost = sentAfterFirst(complete, (s) => s.commandId === CommandId.unbind);
          const unanswered = report.unanswered.filter((s) => !mayBeLost.has(s.sequence));
          if (process.env.FUZZ_DEBUG && unanswered.length)
            console.log(
              stream.toString('hex'),
              complete,
              peer.frames.map((f) => [f.commandId.toString(16), f.status, f.sequence]),
            );
          expect(describeReport({ ...report, unanswered })).toBe(describeReport({ unanswered: [], duplicated: [], mismatched: [], phantom: [] }));
        }
        expect(peer.framingError).toBeNull();
      });
      expect(badLengthCases).toBeGreaterThan(50);
      await steady.waitForMore(20);
    });
  });

  it.each([0, 1, 15, MAX_PDU + 1, 0x7fffffff, 0xffffffff])(
    'answers command_length %i with generic_nack ESME_RINVCMDLEN and closes, bound or not',
    async (length) => {
      for (const bound of [false, true]) {
        const peer = bound ? await boundPeer() : await RawPeer.connect(smsc.port);
        const frame = encodeEmptyRequest(CommandId.enquireLink, 77);
        frame.writeUInt32BE(length >>> 0, 0);
        peer.send(frame);
        await peer.waitUntil(() => peer.closed, 'close');
        const last = peer.frames[peer.frames.length - 1];
        expect([last?.commandId, last?.status, last?.sequence]).toEqual([CommandId.genericNack, Status.invalidCommandLength, 0]);
      }
      await steady.waitForMore(5);
    },
  );

  it('answers floods in full and keeps memory bounded: 20,000 enquire_link, 5,000 submits before bind, 1,000 wrong-password binds', async () => {
    const before = readMemory();
    const links = await RawPeer.connect(smsc.port);
    const prebind = await RawPeer.connect(smsc.port);
    const guesses = await RawPeer.connect(smsc.port);
    links.send(Buffer.concat(Array.from({ length: 20_000 }, (_, i) => encodeEmptyRequest(CommandId.enquireLink, i + 1))));
    const submit = simpleSubmit('447700900001');
    prebind.send(Buffer.concat(Array.from({ length: 5_000 }, (_, i) => encodeMessagePdu(CommandId.submitSm, i + 1, submit))));
    guesses.send(
      Buffer.concat(Array.from({ length: 1_000 }, (_, i) => encodeGeneric('bind_transmitter', i + 1, { system_id: FUZZER.systemId, password: `guess${i}` }))),
    );
    await links.waitUntil(() => links.responses().length >= 20_000, '20,000 enquire_link_resp');
    await prebind.waitUntil(() => prebind.responses().length >= 5_000, '5,000 submit_sm_resp');
    await guesses.waitUntil(() => guesses.responses().length >= 1_000, '1,000 bind_transmitter_resp');
    expect(new Set(links.responses().map((f) => `${f.commandId}/${f.status}`))).toEqual(new Set([`${CommandId.enquireLinkResp}/0`]));
    expect(links.responses().map((f) => f.sequence)).toEqual(Array.from({ length: 20_000 }, (_, i) => i + 1));
    expect(new Set(prebind.responses().map((f) => `${f.commandId}/${f.status}`))).toEqual(new Set([`${CommandId.submitSmResp}/${Status.invalidBindStatus}`]));
    expect(new Set(guesses.responses().map((f) => f.status))).toEqual(new Set([Status.invalidPassword]));
    // After the flood, the same connection still binds.
    expect(await prebind.bind('transmitter', FUZZER.systemId, FUZZER.password, 999_999)).toBe(Status.ok);
    for (const p of [links, prebind, guesses]) p.destroy();
    await Promise.all([links.closedPromise, prebind.closedPromise, guesses.closedPromise]);
    await steady.waitForMore(20);
    const after = readMemory();
    // Generous: the sandbox keeps per-message bookkeeping, but floods must not leave tens of MiB.
    expect({ growth: after.retained - before.retained < 64 * MiB, detail: describeGrowth(before, after) }).toMatchObject({ growth: true });
  });

  it('keeps serving while 200 connections sit idle without binding, and releases them when they go', async () => {
    const idle = await Promise.all(Array.from({ length: 200 }, () => RawPeer.connect(smsc.port)));
    await steady.waitForMore(20);
    const fresh = await boundPeer();
    fresh.send(encodeEmptyRequest(CommandId.enquireLink, 5));
    expect((await fresh.waitForAnswer(5, 'enquire_link_resp'))?.commandId).toBe(CommandId.enquireLinkResp);
    for (const p of [...idle, fresh]) p.destroy();
    await Promise.all(idle.map((p) => p.closedPromise));
  });

  it('after all of the above, a new well-behaved client still binds and submits', async () => {
    const fresh = new SmppTransport(sandboxTransportOptions(smsc));
    try {
      await fresh.start();
      const results = await Promise.all(Array.from({ length: 10 }, (_, n) => fresh.submit(simpleSubmit(`44770090${String(n).padStart(4, '0')}`))));
      expect(results.every((r) => r.messageId !== '' && !r.possibleDuplicate)).toBe(true);
    } finally {
      await fresh.close(200);
    }
  });

  // BUG (open, see the fuzzing report): SmppSocket never stops reading when its peer stops
  // reading, so a client that floods requests and reads nothing makes the server buffer every
  // answer in memory: 400,000 enquire_link (6.4 MB sent) grew the heap by ~40 MiB and the RSS by
  // ~140 MiB here, and it grows linearly with the flood. The same holds for the SMS Trigger's
  // server mode, where enquire_link is answered before any bind. Fix: pause reading in
  // SmppSocket.write when socket.write() returns false and resume on 'drain'. Once fixed, jest
  // flags this it.failing: make it it().
  it('stops reading from a client that floods requests and never reads the answers (bounded write buffer)', async () => {
    const peer = await RawPeer.connect(smsc.port, { answerRequests: false });
    peer.socket.pause(); // read nothing
    const count = 400_000;
    const flood = Buffer.concat(Array.from({ length: count }, (_, i) => encodeEmptyRequest(CommandId.enquireLink, i + 1)));
    const sessions = (smsc as unknown as { sessions: Set<{ socket: { socket: import('net').Socket } }> }).sessions;
    const serverSide = [...sessions].map((s) => s.socket.socket).find((s) => s.remotePort === peer.socket.localPort);
    expect(serverSide).toBeDefined();
    const linksBefore = smsc.stats.enquireLinks;
    peer.send(flood);
    await waitUntilSettled(() => smsc.stats.enquireLinks - linksBefore, count);
    const buffered = serverSide!.writableLength;
    peer.destroy();
    await peer.closedPromise;
    expect(buffered).toBeLessThan(1 * MiB);
  });
});
