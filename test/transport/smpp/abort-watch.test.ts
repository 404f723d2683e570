import { AbortWatch } from '../../../src/transport/smpp/abort-watch';

/** The window and the pool ask AbortWatch, not `signal.aborted`, whether a submit's signal has aborted. */
describe('AbortWatch', () => {
  it('a signal aborted before its first submit is aborted, and no listener is added to it', () => {
    const told: AbortSignal[] = [];
    const watch = new AbortWatch((s) => told.push(s));
    const controller = new AbortController();
    controller.abort();
    expect(watch.aborted(controller.signal)).toBe(true);
    expect(told).toEqual([]);
  });

  it('an abort after the first submit is seen by the next one at once, and told once', () => {
    const told: AbortSignal[] = [];
    const watch = new AbortWatch((s) => told.push(s));
    const controller = new AbortController();
    expect(watch.aborted(controller.signal)).toBe(false);
    expect(watch.aborted(controller.signal)).toBe(false);
    controller.abort();
    expect(watch.aborted(controller.signal)).toBe(true);
    expect(told).toEqual([controller.signal]);
  });

  it('keeps signals apart: one broadcast stopping does not stop another', () => {
    const watch = new AbortWatch(() => undefined);
    const a = new AbortController();
    const b = new AbortController();
    watch.aborted(a.signal);
    watch.aborted(b.signal);
    a.abort();
    expect(watch.aborted(a.signal)).toBe(true);
    expect(watch.aborted(b.signal)).toBe(false);
  });

  it('two watchers of one signal (a window and a pool) are each told', () => {
    const told: string[] = [];
    const window = new AbortWatch(() => told.push('window'));
    const pool = new AbortWatch(() => told.push('pool'));
    const controller = new AbortController();
    window.aborted(controller.signal);
    pool.aborted(controller.signal);
    controller.abort();
    expect(told.sort()).toEqual(['pool', 'window']);
    expect(window.aborted(controller.signal) && pool.aborted(controller.signal)).toBe(true);
  });

  it('a signal made by AbortSignal.any or timeout is watched like any other', async () => {
    const watch = new AbortWatch(() => undefined);
    const inner = new AbortController();
    const combined = AbortSignal.any([inner.signal]);
    const timed = AbortSignal.timeout(10);
    expect(watch.aborted(combined)).toBe(false);
    expect(watch.aborted(timed)).toBe(false);
    inner.abort();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(watch.aborted(combined)).toBe(true);
    expect(watch.aborted(timed)).toBe(true);
  });
});
