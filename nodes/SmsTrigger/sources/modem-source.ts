import { acquireModem } from '../../../src/registry';
import type { GsmModemOptions } from '../../../src/transport/modem';
import type { InboundSource, SourceStartOptions } from './inbound-source';

/**
 * Receives SMS and status reports from a GSM modem shared process-wide with the sending nodes
 * (one open serial port per device). The modem hands each part over as a deliver_sm-shaped PDU
 * and deletes it from the SIM only after the pipeline's promise resolves, so the same
 * acknowledgement rules hold as for a carrier. Messages already stored on the SIM are read when
 * the handler is added, so nothing waits unseen.
 */
export async function startModemSource(modemOptions: GsmModemOptions, options: SourceStartOptions): Promise<InboundSource> {
  const lease = await acquireModem(modemOptions);
  const modem = lease.resource;
  // holds: a part of a long message the pipeline has not delivered yet stays on the SIM.
  const removeHandler = modem.addInboundHandler((message) => options.pipeline.handleDeliver(message), { holds: (message) => options.pipeline.holds(message) });
  const onGaveUp = (error: Error): void => options.onFatal(error);
  modem.on('gaveUp', onGaveUp);
  let closed = false;
  return {
    close: async () => {
      if (closed) return;
      closed = true;
      modem.off('gaveUp', onGaveUp);
      removeHandler();
      await lease.release();
    },
  };
}
