import type { IDataObject, IRun, ITriggerFunctions } from 'n8n-workflow';
import type { InboundEvent } from '../../src/inbound';
import type { AcknowledgeMode } from './trigger-settings';

export interface DeliveryOptions {
  acknowledge: AcknowledgeMode;
  ackTimeoutMs: number;
  /** "Listen for test event": only the first event goes to the run (acknowledged on emit); later ones are let through. */
  manual: boolean;
}

function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // After the timeout the PDU is acknowledged anyway: the event is already in n8n, and a carrier
    // left waiting longer would resend it (a duplicate), which is worse than the small risk.
    const timer = setTimeout(resolve, ms);
    timer.unref();
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/**
 * Hands events to n8n. `this.emit` is looked up on every call, because in a manual run n8n
 * replaces it after trigger() returns. With 'workflowDone' the returned promise settles when the
 * execution has finished (n8n resolves the donePromise), so the PDU is acknowledged only then;
 * a rejected donePromise (the execution could not start) refuses the PDU and the carrier
 * redelivers it.
 */
export function eventDelivery(ctx: ITriggerFunctions, options: DeliveryOptions): (event: InboundEvent) => Promise<void> {
  let delivered = false;
  return async (event) => {
    if (options.manual) {
      if (delivered) return;
      delivered = true;
    }
    const items = [[{ json: event as unknown as IDataObject }]];
    // A test listen acknowledges at once: n8n closes the trigger before the test run's donePromise
    // resolves, and the acknowledgement would then never reach the carrier.
    if (options.acknowledge === 'emitted' || options.manual) {
      ctx.emit(items);
      return;
    }
    const done = ctx.helpers.createDeferredPromise<IRun>();
    ctx.emit(items, undefined, done);
    await settleWithin(done.promise, options.ackTimeoutMs);
  };
}
