import { SmppTransport } from '../../../src/transport/smpp/smpp-transport';
import { SmppSubmitError, WITHDRAWN } from '../../../src/transport/smpp/types';
import type { SmppTransportOptions, SubmitResult } from '../../../src/transport/smpp/types';
import { Status } from '../../../src/transport/smpp/command-status';
import { simpleSubmit } from '../../support/messages';
import { startHeldAnswerSmsc, until } from '../../support/held-answer-smsc';
import type { HeldAnswerSmsc } from '../../support/held-answer-smsc';

/** How a submit ended, as a string a test can compare. */
function outcome(p: Promise<SubmitResult>): Promise<string> {
  return p.then(
    (r) => `accepted${r.possibleDuplicate ? ' (dup)' : ''}`,
    (e: SmppSubmitError) => `${e.reason}: ${e.message}`,
  );
}
const settle = (ms = 50): Promise<void> => new Promise((r) => setTimeout(r, ms));
const withdrawn = `cancelled: ${WITHDRAWN}`;

describe('attack: a stopped broadcast on one bind (SubmitWindow)', () => {
  let smsc: HeldAnswerSmsc;
  let transport: SmppTransport | null = null;
  const open = async (extra: Partial<SmppTransportOptions> = {}): Promise<SmppTransport> => {
    smsc = await startHeldAnswerSmsc();
    transport = new SmppTransport({
      host: '127.0.0.1',
      port: smsc.port,
      systemId: 'x',
      password: 'y',
      windowSize: 5,
      responseTimeoutMs: 10_000,
      enquireLinkMs: 0,
      reconnectBaseMs: 10,
      reconnectMaxMs: 20,
      ...extra,
    });
    await transport.start();
    return transport;
  };
  afterEach(async () => {
    smsc.autoAccept = true;
    smsc.answerAll();
    await transport?.close(100);
    transport = null;
    await smsc.stop();
  });

  // Breaks promise 1 (regression of AbortWatch, passes on ba5dd27~1): a submit made inside an earlier abort listener of the same signal is written after the abort.
  it('a submit from an abort listener added before the first submit is withdrawn and never written', async () => {
    const t = await open();
    const run = new AbortController();
    const late: Array<Promise<string>> = [];
    // Added before the transport ever saw the signal (a caller's own clean-up on stop).
    run.signal.addEventListener('abort', () => late.push(outcome(t.submit(simpleSubmit('447700900099'), { signal: run.signal }))));
    const first = outcome(t.submit(simpleSubmit('447700900001'), { signal: run.signal }));
    await until(() => smsc.submits.length === 1, 'the first submit');
    run.abort();
    await settle();
    // Promise 1: nothing reaches the SMSC after the abort; the late submit is withdrawn, not sent.
    expect(smsc.submits.map((s) => s.to)).toEqual(['447700900001']);
    expect(await late[0]).toBe(withdrawn);
    smsc.answerAll();
    expect(await first).toBe('accepted');
  });

  // Breaks promise 1 (regression of AbortWatch, passes on ba5dd27~1): an earlier abort listener that stops propagation hides the abort, so every later submit of the signal is written.
  it('a submit after the abort is withdrawn even when an earlier abort listener stopped propagation', async () => {
    const t = await open();
    const run = new AbortController();
    run.signal.addEventListener('abort', (event) => event.stopImmediatePropagation());
    const first = outcome(t.submit(simpleSubmit('447700900001'), { signal: run.signal }));
    await until(() => smsc.submits.length === 1, 'the first submit');
    run.abort();
    const after = outcome(t.submit(simpleSubmit('447700900002'), { signal: run.signal }));
    await settle();
    expect(smsc.submits.map((s) => s.to)).toEqual(['447700900001']);
    expect(await after).toBe(withdrawn);
    smsc.answerAll();
    expect(await first).toBe('accepted');
  });

  // Breaks promise 1 (also fails on ba5dd27~1): a message throttled (refused) after the abort waits again and is written to the SMSC after the abort.
  it('a written message the carrier throttles after the abort is not written again', async () => {
    const t = await open();
    const run = new AbortController();
    const sent = outcome(t.submit(simpleSubmit('447700900001'), { signal: run.signal }));
    await until(() => smsc.submits.length === 1, 'the submit');
    run.abort();
    smsc.answer(smsc.submits[0], Status.throttled);
    await settle(300);
    // Throttled means refused: it waits again, and a waiting message of a stopped broadcast is withdrawn.
    expect(smsc.submits.length).toBe(1);
    smsc.autoAccept = true;
    expect(await sent).toBe(withdrawn);
  });

  // Breaks promise 1 (also fails on ba5dd27~1): a message answered with a temporary error after the abort is retried, i.e. written after the abort.
  it('a written message the carrier answers with a temporary error after the abort is not written again', async () => {
    const t = await open();
    const run = new AbortController();
    const sent = outcome(t.submit(simpleSubmit('447700900001'), { signal: run.signal }));
    await until(() => smsc.submits.length === 1, 'the submit');
    run.abort();
    smsc.answer(smsc.submits[0], Status.systemError);
    await settle(400);
    expect(smsc.submits.length).toBe(1);
    smsc.autoAccept = true;
    expect(await sent).toMatch(/^(cancelled|rejected|retries_exhausted)/);
  });

  // Breaks promise 1 (also fails on ba5dd27~1): an in-flight message requeued by a link drop after the abort is written again after the rebind.
  it('a written message whose link drops after the abort is not written again after the rebind', async () => {
    const t = await open();
    const run = new AbortController();
    const sent = outcome(t.submit(simpleSubmit('447700900001'), { signal: run.signal }));
    await until(() => smsc.submits.length === 1, 'the submit');
    run.abort();
    smsc.dropAll();
    await until(() => smsc.binds >= 2, 'the rebind');
    await settle(200);
    expect(smsc.submits.length).toBe(1);
    smsc.autoAccept = true;
    smsc.answerAll();
    // It may have reached the phone: failed (not accepted), flagged as a possible duplicate.
    expect(await sent).toMatch(/^cancelled/);
  });

  // Breaks promise 1, the other broadcast must be unaffected (also fails on ba5dd27~1): withdrawn entries stay in the queue and count toward maxQueued.
  it("two broadcasts on one transport: the stopped one's withdrawn messages do not fill the other's queue", async () => {
    const t = await open({ windowSize: 1, maxQueued: 20 });
    const a = new AbortController();
    const b = new AbortController();
    const aRuns = Array.from({ length: 15 }, (_, i) => outcome(t.submit(simpleSubmit(`4477009001${String(i).padStart(2, '0')}`), { signal: a.signal })));
    await until(() => smsc.submits.length === 1, 'the first submit of A');
    a.abort();
    const aOutcomes = await Promise.all(aRuns.slice(1));
    expect(aOutcomes.every((o) => o === withdrawn)).toBe(true);
    // A left nothing waiting: B has the whole queue (20) to itself.
    const bRuns = Array.from({ length: 15 }, (_, i) => outcome(t.submit(simpleSubmit(`4477009002${String(i).padStart(2, '0')}`), { signal: b.signal })));
    smsc.autoAccept = true;
    smsc.answerAll();
    const bOutcomes = await Promise.all(bRuns);
    expect(bOutcomes.filter((o) => o !== 'accepted')).toEqual([]);
  });
});
