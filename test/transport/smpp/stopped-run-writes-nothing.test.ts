import { SmppTransport } from '../../../src/transport/smpp/smpp-transport';
import { SmppBindPool } from '../../../src/transport/smpp/bind-pool';
import { SmppSubmitError, WITHDRAWN } from '../../../src/transport/smpp/types';
import type { SubmitOptions, SubmitRequest, SubmitResult } from '../../../src/transport/smpp/types';
import { Status } from '../../../src/transport/smpp/command-status';
import { simpleSubmit } from '../../support/messages';
import { startHeldAnswerSmsc, until } from '../../support/held-answer-smsc';
import type { HeldAnswerSmsc } from '../../support/held-answer-smsc';

/**
 * Once a broadcast stops (the signal of its submits aborts), nothing of it is written to the SMSC
 * any more: not what waits, not a retry of what the carrier refused for now, not a resend after
 * the link dropped; each is reported withdrawn. Another broadcast on the same transport is not
 * affected. The same promises on one bind (SubmitWindow) and on two (PoolQueue).
 */
interface Route {
  submit(pdu: SubmitRequest, options?: SubmitOptions): Promise<SubmitResult>;
  close(timeoutMs?: number): Promise<void>;
}
type Open = (port: number, maxQueued?: number) => Promise<Route>;
const link = { systemId: 'x', password: 'y', windowSize: 1, responseTimeoutMs: 10_000, enquireLinkMs: 0, reconnectBaseMs: 10, reconnectMaxMs: 20 };
const oneBind: Open = async (port, maxQueued) => {
  const t = new SmppTransport({ host: '127.0.0.1', port, ...link, ...(maxQueued ? { maxQueued } : {}) });
  await t.start();
  return t;
};
const twoBinds: Open = async (port, maxQueued) => {
  const p = new SmppBindPool({ host: '127.0.0.1', port, ...link, binds: 2, ...(maxQueued ? { maxQueued } : {}) });
  await p.start();
  await until(() => p.boundCount === 2, 'both binds');
  return p;
};

function outcome(p: Promise<SubmitResult>): Promise<string> {
  return p.then(
    (r) => `accepted${r.possibleDuplicate ? ' (dup)' : ''}`,
    (e: SmppSubmitError) => `${e.reason}: ${e.message}${e.possibleDuplicate ? ' (dup)' : ''}`,
  );
}
const settle = (ms = 50): Promise<void> => new Promise((r) => setTimeout(r, ms));
const withdrawn = `cancelled: ${WITHDRAWN}`;
const to = (n: number): string => String(447700900000 + n);

// One SMSC and one route per test, shared by the describes below.
let smsc: HeldAnswerSmsc;
let route: Route | null = null;
/** A held-answer SMSC and a route to it through `open`. */
async function start(open: Open, maxQueued?: number): Promise<Route> {
  smsc = await startHeldAnswerSmsc();
  route = await open(smsc.port, maxQueued);
  return route;
}
afterEach(async () => {
  smsc.autoAccept = true;
  smsc.answerAll();
  await route?.close(100);
  route = null;
  await smsc.stop();
});

describe.each([
  ['one bind', oneBind, 1],
  ['two binds', twoBinds, 2],
] as Array<[string, Open, number]>)('a stopped broadcast on %s', (_name, open, binds) => {
  /** One message in flight on every bind, for the run `signal`. */
  const fill = async (r: Route, signal: AbortSignal, from = 1): Promise<Array<Promise<string>>> => {
    const sent = Array.from({ length: binds }, (_, i) => outcome(r.submit(simpleSubmit(to(from + i)), { signal })));
    await until(() => smsc.submits.length === binds, 'one in flight per bind');
    return sent;
  };

  it('a submit from an abort listener added before the first submit is withdrawn and never written', async () => {
    const r = await start(open);
    const run = new AbortController();
    const late: Array<Promise<string>> = [];
    // Added before the transport saw the signal (a caller's own clean-up on stop).
    run.signal.addEventListener('abort', () => late.push(outcome(r.submit(simpleSubmit(to(99)), { signal: run.signal }))));
    const first = await fill(r, run.signal);
    run.abort();
    await settle();
    expect(smsc.submits).toHaveLength(binds);
    expect(await late[0]).toBe(withdrawn);
    smsc.answerAll();
    expect(await Promise.all(first)).toEqual(first.map(() => 'accepted'));
  });

  it('a written message the carrier throttles after the abort is not written again', async () => {
    const r = await start(open);
    const run = new AbortController();
    const [sent] = await fill(r, run.signal);
    run.abort();
    smsc.answer(smsc.submits[0], Status.throttled);
    await settle(300);
    expect(smsc.submits).toHaveLength(binds);
    // Throttled means refused, never taken: withdrawn, and not a possible duplicate.
    expect(await sent).toBe(withdrawn);
  });

  it('a written message whose link drops after the abort is not written again, and may have arrived', async () => {
    const r = await start(open);
    const run = new AbortController();
    const [sent] = await fill(r, run.signal);
    run.abort();
    smsc.submits[0].session.destroy();
    await until(() => smsc.binds >= binds + 1, 'the rebind');
    await settle(200);
    expect(smsc.submits).toHaveLength(binds);
    expect(await sent).toBe(`${withdrawn} (dup)`);
  });

  it("two broadcasts: the stopped one's withdrawn messages do not fill the other's queue", async () => {
    const r = await start(open, 20);
    const a = new AbortController();
    const b = new AbortController();
    // B fills every bind, what a bind's window takes beside it, and one more waiting ahead of A.
    const bFirst = Array.from({ length: 2 * binds + 1 }, (_, i) => outcome(r.submit(simpleSubmit(to(100 + i)), { signal: b.signal })));
    await until(() => smsc.submits.length === binds, 'one in flight per bind');
    const aRuns = Array.from({ length: 14 }, (_, i) => outcome(r.submit(simpleSubmit(to(200 + i)), { signal: a.signal })));
    a.abort();
    expect(await Promise.all(aRuns)).toEqual(aRuns.map(() => withdrawn));
    // A left nothing waiting: B may queue up to the limit.
    const bMore = Array.from({ length: 15 }, (_, i) => outcome(r.submit(simpleSubmit(to(300 + i)), { signal: b.signal })));
    smsc.autoAccept = true;
    smsc.answerAll();
    const outcomes = await Promise.all([...bFirst, ...bMore]);
    expect(outcomes.filter((o) => o !== 'accepted')).toEqual([]);
  });
});

describe('a stopped broadcast on one bind: its other retries', () => {
  it('a written message answered with a temporary error after the abort is not written again', async () => {
    const r = await start(oneBind);
    const run = new AbortController();
    const sent = outcome(r.submit(simpleSubmit(to(1)), { signal: run.signal }));
    await until(() => smsc.submits.length === 1, 'the submit');
    run.abort();
    smsc.answer(smsc.submits[0], Status.systemError);
    await settle(400);
    expect(smsc.submits).toHaveLength(1);
    expect(await sent).toBe(withdrawn);
  });

  it('a submit after the abort is withdrawn even when an earlier abort listener stopped propagation', async () => {
    const r = await start(oneBind);
    const run = new AbortController();
    run.signal.addEventListener('abort', (event) => event.stopImmediatePropagation());
    const first = outcome(r.submit(simpleSubmit(to(1)), { signal: run.signal }));
    await until(() => smsc.submits.length === 1, 'the first submit');
    run.abort();
    const after = outcome(r.submit(simpleSubmit(to(2)), { signal: run.signal }));
    await settle();
    expect(smsc.submits).toHaveLength(1);
    expect(await after).toBe(withdrawn);
    smsc.answerAll();
    expect(await first).toBe('accepted');
  });
});
