import { acquireSmppTransport } from '../../../src/registry/smpp-registry';
import type { SmppConnectionConfig } from '../../../src/registry/smpp-registry';
import type { InboundSource, SourceStartOptions } from './inbound-source';

/**
 * Receives deliver_sm (MO messages and receipts) on the shared bind of an SMPP Carrier
 * credential: the same connection Send SMS uses, so a transceiver account needs one bind.
 * The transport reconnects by itself; only when it gives up does the trigger hear about it.
 */
export async function startCarrierSource(connection: SmppConnectionConfig, options: SourceStartOptions): Promise<InboundSource> {
  const handler = options.pipeline.handleDeliver;
  // When this call opens the bind, the handler goes on before it binds: carriers deliver queued
  // messages right behind bind_resp. When the bind already exists, it goes on once we have it.
  let removeHandler: (() => void) | null = null;
  const lease = await acquireSmppTransport(connection, (opening) => {
    removeHandler = opening.addInboundHandler(handler);
  });
  const transport = lease.resource;
  const remove: () => void = removeHandler ?? transport.addInboundHandler(handler);
  const onGaveUp = (error: Error): void => options.onFatal(error);
  transport.on('gaveUp', onGaveUp);
  let closed = false;
  return {
    close: async () => {
      if (closed) return;
      closed = true;
      transport.off('gaveUp', onGaveUp);
      remove();
      await lease.release();
    },
  };
}
