import { SubmitWindow } from '../../../src/transport/smpp/submit-window';
import { SmppSubmitError, WITHDRAWN } from '../../../src/transport/smpp/types';
import { blankMessagePdu } from '../../../src/transport/smpp/pdu/message-pdu';

/**
 * A broadcast hands one AbortSignal to every submit: the window listens to each signal once (not
 * once per submit), and an abort still withdraws every part of that signal still waiting, and
 * only those: written parts wait for their answer, other signals' parts stay queued.
 */
describe('SubmitWindow: one abort listener per signal', () => {
  const policy = { maxWindow: 1, maxAttempts: 3, maxThrottleMs: 60_000, maxQueued: 1000, responseTimeoutMs: 10_000, throttleDecreaseRatio: 0.5 };

  it('an abort withdraws all waiting parts of its signal, whichever submit first brought the signal', async () => {
    const written: number[] = [];
    let seq = 0;
    const window = new SubmitWindow(
      policy,
      () => {
        written.push(++seq);
        return seq;
      },
      undefined,
    );
    const first = new AbortController();
    const second = new AbortController();
    const listens = jest.spyOn(first.signal, 'addEventListener');
    const outcomes: string[] = [];
    const track = (name: string, p: Promise<unknown>): Promise<void> =>
      p.then(
        () => void outcomes.push(`${name} accepted`),
        (err: SmppSubmitError) => void outcomes.push(`${name} ${err.reason}: ${err.message}`),
      );
    const runs = [
      track('a', window.enqueue(blankMessagePdu(), { signal: first.signal })),
      track('b', window.enqueue(blankMessagePdu(), { signal: first.signal })),
      track('c', window.enqueue(blankMessagePdu(), { signal: second.signal })),
      track('d', window.enqueue(blankMessagePdu(), { signal: first.signal })),
    ];
    expect(window.pump(true)).toBe(0);
    expect(written).toEqual([1]); // 'a' is in flight (window 1)
    expect(listens).toHaveBeenCalledTimes(1);
    first.abort();
    await new Promise((r) => setImmediate(r));
    expect(outcomes).toEqual([`b cancelled: ${WITHDRAWN}`, `d cancelled: ${WITHDRAWN}`]);
    expect(window.onResponse(1, 0, 'id-1')).toBe(true);
    window.pump(true);
    expect(written).toEqual([1, 2]); // 'c', never withdrawn
    expect(window.onResponse(2, 0, 'id-2')).toBe(true);
    second.abort();
    await Promise.all(runs);
    expect(outcomes).toEqual([`b cancelled: ${WITHDRAWN}`, `d cancelled: ${WITHDRAWN}`, 'a accepted', 'c accepted']);
  });
});
