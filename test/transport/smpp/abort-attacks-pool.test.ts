import { SmppBindPool } from '../../../src/transport/smpp/bind-pool';
import type { BindPoolOptions } from '../../../src/transport/smpp/bind-pool';
import { SmppSubmitError, WITHDRAWN } from '../../../src/transport/smpp/types';
import type { SubmitResult } from '../../../src/transport/smpp/types';
import { Status } from '../../../src/transport/smpp/command-status';
import { simpleSubmit } from '../../support/messages';
import { startHeldAnswerSmsc, until } from '../../support/held-answer-smsc';
import type { HeldAnswerSmsc } from '../../support/held-answer-smsc';

function outcome(p: Promise<SubmitResult>): Promise<string> {
  return p.then(
    (r) => `accepted${r.possibleDuplicate ? ' (dup)' : ''}`,
    (e: SmppSubmitError) => `${e.reason}: ${e.message}`,
  );
}
const settle = (ms = 50): Promise<void> => new Promise((r) => setTimeout(r, ms));
const withdrawn = `cancelled: ${WITHDRAWN}`;
const to = (n: number): string => String(447700900000 + n);

describe('attack: a stopped broadcast on several binds (PoolQueue)', () => {
  let smsc: HeldAnswerSmsc;
  let pool: SmppBindPool | null = null;
  const open = async (extra: Partial<BindPoolOptions> = {}): Promise<SmppBindPool> => {
    smsc = await startHeldAnswerSmsc();
    pool = new SmppBindPool({
      host: '127.0.0.1',
      port: smsc.port,
      systemId: 'x',
      password: 'y',
      binds: 2,
      windowSize: 1,
      responseTimeoutMs: 10_000,
      enquireLinkMs: 0,
      reconnectBaseMs: 10,
      reconnectMaxMs: 20,
      ...extra,
    });
    await pool.start();
    await until(() => pool!.boundCount === 2, 'both binds');
    return pool;
  };
  afterEach(async () => {
    smsc.autoAccept = true;
    smsc.answerAll();
    await pool?.close(100);
    pool = null;
    await smsc.stop();
  });

  // Breaks promise 1 (regression of AbortWatch, passes on ba5dd27~1): through the pool, a submit from an earlier abort listener of the same signal is written after the abort.
  it('a submit from an abort listener added before the first submit is withdrawn and never written', async () => {
    const p = await open({ windowSize: 5 });
    const run = new AbortController();
    const late: Array<Promise<string>> = [];
    run.signal.addEventListener('abort', () => late.push(outcome(p.submit(simpleSubmit(to(99)), { signal: run.signal }))));
    // One on each bind: the late submit goes to a bind that already has the signal's combined one.
    const first = [1, 2].map((n) => outcome(p.submit(simpleSubmit(to(n)), { signal: run.signal })));
    await until(() => smsc.submits.length === 2, 'the first submits');
    run.abort();
    await settle();
    expect(smsc.submits.map((s) => s.to).sort()).toEqual([to(1), to(2)]);
    expect(await late[0]).toBe(withdrawn);
    smsc.answerAll();
    expect(await Promise.all(first)).toEqual(['accepted', 'accepted']);
  });

  // Breaks promise 1 (also fails on ba5dd27~1): on several binds, a message throttled after the abort is written again after the abort.
  it('a written message the carrier throttles after the abort is not written again on any bind', async () => {
    const p = await open();
    const run = new AbortController();
    const sent = outcome(p.submit(simpleSubmit(to(1)), { signal: run.signal }));
    await until(() => smsc.submits.length === 1, 'the submit');
    run.abort();
    smsc.answer(smsc.submits[0], Status.throttled);
    await settle(300);
    expect(smsc.submits.length).toBe(1);
    smsc.autoAccept = true;
    expect(await sent).toBe(withdrawn);
  });

  // Breaks promise 1 (also fails on ba5dd27~1): on several binds, an in-flight message whose bind drops after the abort is written again after the abort.
  it('a written message whose bind drops after the abort is not written again on any bind', async () => {
    const p = await open();
    const run = new AbortController();
    const sent = outcome(p.submit(simpleSubmit(to(1)), { signal: run.signal }));
    await until(() => smsc.submits.length === 1, 'the submit');
    run.abort();
    smsc.submits[0].session.destroy();
    await until(() => smsc.binds >= 3, 'the rebind');
    await settle(200);
    expect(smsc.submits.length).toBe(1);
    smsc.autoAccept = true;
    smsc.answerAll();
    expect(await sent).toMatch(/^cancelled/);
  });

  // Breaks promise 1, the other broadcast must be unaffected (also fails on ba5dd27~1): withdrawn submits stay in the pool's queue behind a live one and count toward maxQueued.
  it("two broadcasts on one pool: the stopped one's withdrawn messages do not fill the other's queue", async () => {
    const p = await open({ maxQueued: 20 });
    const a = new AbortController();
    const b = new AbortController();
    // Fill both binds (two windows' worth each) with B, then one of B waits in the pool, then A behind it.
    const bRuns = [1, 2, 3, 4, 5].map((n) => outcome(p.submit(simpleSubmit(to(100 + n)), { signal: b.signal })));
    const aRuns = Array.from({ length: 14 }, (_, i) => outcome(p.submit(simpleSubmit(to(200 + i)), { signal: a.signal })));
    await until(() => smsc.submits.length === 2, 'one in flight per bind');
    a.abort();
    expect((await Promise.all(aRuns)).every((o) => o === withdrawn)).toBe(true);
    // A left nothing waiting: B may queue up to the limit.
    const more = Array.from({ length: 12 }, (_, i) => outcome(p.submit(simpleSubmit(to(300 + i)), { signal: b.signal })));
    smsc.autoAccept = true;
    smsc.answerAll();
    const outcomes = await Promise.all([...bRuns, ...more]);
    expect(outcomes.filter((o) => o !== 'accepted')).toEqual([]);
  });
});
