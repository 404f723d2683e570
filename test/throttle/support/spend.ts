import type { SendThrottle } from '../../../src/transport/smpp/types';

/** Takes `count` tokens as the transport does (asks, waits, takes, reports the write); rejects when the throttle says it is unavailable. */
export function spend(throttle: SendThrottle, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let left = count;
    const pump = (): void => {
      let taken = 0;
      while (left > 0 && throttle.tryTake()) {
        left--;
        taken++;
      }
      if (taken > 0) throttle.written?.(taken);
      if (left === 0) return resolve();
      const unavailable = throttle.unavailable?.();
      if (unavailable) return reject(unavailable);
      throttle.onAvailable(pump, () => left);
    };
    pump();
  });
}
