import { SubmitWindow } from '../../../src/transport/smpp/submit-window';
import type { SubmitReceiver, SubmitResult } from '../../../src/transport/smpp/types';
import { SmppSubmitError, WITHDRAWN } from '../../../src/transport/smpp/types';
import { blankMessagePdu } from '../../../src/transport/smpp/pdu/message-pdu';

/**
 * enqueueTo: a submit's outcome goes to a receiver, not a promise. Receivers are told after the
 * window's step and never inside one another, so a receiver that submits again at once (the next
 * message of a broadcast) cannot grow the stack, and withdrawal, timeouts and possible-duplicate
 * flags reach receivers as they reached promises.
 */
describe('SubmitWindow receivers', () => {
  const policy = { maxWindow: 1, maxAttempts: 2, maxThrottleMs: 60_000, maxQueued: 1000, responseTimeoutMs: 10_000, throttleDecreaseRatio: 0.5 };

  it('a receiver that submits again on every refusal runs 50,000 times without nesting', () => {
    const down = new Error('the limit store is down');
    const window = new SubmitWindow(policy, () => 1, {
      tryTake: () => false,
      onAvailable: () => undefined,
      unavailable: () => down,
    });
    let depth = 0;
    let deepest = 0;
    let told = 0;
    const receiver: SubmitReceiver = {
      submitted: () => {
        throw new Error('nothing can be written');
      },
      notSubmitted: (err) => {
        expect(err.reason).toBe('limit_unavailable');
        told++;
        depth++;
        deepest = Math.max(deepest, depth);
        if (told < 50_000) {
          window.enqueueTo(blankMessagePdu(), {}, receiver);
          window.pump(true);
        }
        depth--;
      },
    };
    window.enqueueTo(blankMessagePdu(), {}, receiver);
    window.pump(true);
    expect(told).toBe(50_000);
    expect(deepest).toBe(1);
  });

  it('tells receivers in the order their submits settled, after the step that settled them', () => {
    let seq = 0;
    const window = new SubmitWindow({ ...policy, maxWindow: 3 }, () => ++seq, undefined);
    const told: string[] = [];
    const make = (name: string): SubmitReceiver => ({
      submitted: (r: SubmitResult) => void told.push(`${name} ${r.messageId}${r.possibleDuplicate ? ' dup' : ''}`),
      notSubmitted: (e: SmppSubmitError) => void told.push(`${name} ${e.reason}${e.possibleDuplicate ? ' dup' : ''}`),
    });
    for (const n of ['a', 'b', 'c']) window.enqueueTo(blankMessagePdu(), {}, make(n));
    window.pump(true);
    expect(seq).toBe(3);
    // The link drops with all three in flight: requeued as possible duplicates, in write order.
    expect(window.onLinkDown('peer reset')).toBe(3);
    expect(told).toEqual([]);
    window.pump(true);
    expect(seq).toBe(6);
    // Answers out of order; the second drop spends the last attempt of what is left.
    expect(window.onResponse(5, 0, 'id-b')).toBe(true);
    expect(told).toEqual(['b id-b dup']);
    window.onLinkDown('peer reset again');
    expect(told).toEqual(['b id-b dup', 'a retries_exhausted dup', 'c retries_exhausted dup']);
  });

  it('an abort withdraws waiting submits through their receivers, not the written one', () => {
    let seq = 0;
    const window = new SubmitWindow(policy, () => ++seq, undefined);
    const stop = new AbortController();
    const told: string[] = [];
    const make = (name: string): SubmitReceiver => ({
      submitted: (r) => void told.push(`${name} ${r.messageId}`),
      notSubmitted: (e) => void told.push(`${name} ${e.reason} ${e.message}`),
    });
    window.enqueueTo(blankMessagePdu(), { signal: stop.signal }, make('a'));
    window.enqueueTo(blankMessagePdu(), { signal: stop.signal }, make('b'));
    window.pump(true);
    stop.abort();
    expect(told).toEqual([`b cancelled ${WITHDRAWN}`]);
    window.enqueueTo(blankMessagePdu(), { signal: stop.signal }, make('c'));
    expect(told).toEqual([`b cancelled ${WITHDRAWN}`, `c cancelled ${WITHDRAWN}`]);
    expect(window.onResponse(1, 0, 'id-a')).toBe(true);
    expect(told[2]).toBe('a id-a');
    window.pump(true); // skips the withdrawn ones
    expect(window.idle).toBe(true);
    expect(seq).toBe(1);
  });

  it('the response deadline follows the oldest unanswered submit', () => {
    let now = 1000;
    let seq = 0;
    const window = new SubmitWindow(
      { ...policy, maxWindow: 3 },
      () => ++seq,
      undefined,
      () => now,
    );
    const quiet: SubmitReceiver = { submitted: () => undefined, notSubmitted: () => undefined };
    window.enqueueTo(blankMessagePdu(), {}, quiet);
    window.pump(true);
    now = 2000;
    window.enqueueTo(blankMessagePdu(), {}, quiet);
    window.pump(true);
    expect(window.nextAnswerDeadline()).toBe(11_000);
    window.onResponse(1, 0, 'x');
    expect(window.nextAnswerDeadline()).toBe(12_000);
    now = 12_001;
    expect(window.hasTimedOut()).toBe(true);
    window.onResponse(2, 0, 'y');
    expect(window.nextAnswerDeadline()).toBeNull();
    expect(window.hasTimedOut()).toBe(false);
  });
});
