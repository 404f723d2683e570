import { sharedReceiptStore } from '../../../src/dlr/carrier-receipts';
import { acquireSmppTransport } from '../../../src/registry/smpp-registry';
import type { SmppConnectionConfig } from '../../../src/registry/smpp-registry';
import type { InboundSource, SourceStartOptions } from './inbound-source';

/** How the trigger reads receipts shared through Redis: its consumer group, and whether the group goes with it (a test listen). */
export interface SharedReceiptsFeed {
  group: string;
  temporary: boolean;
  onError(error: Error): void;
}

/**
 * Receives deliver_sm (MO messages and receipts) on the shared bind of an SMPP Carrier
 * credential: the same connection Send SMS uses, so a transceiver account needs one bind.
 * The transport reconnects by itself; only when it gives up does the trigger hear about it.
 * With receipts shared through Redis, receipt events come from the shared feed instead: those any
 * n8n process's bind received (a worker's transceiver, say), each once, after a restart too.
 */
export async function startCarrierSource(connection: SmppConnectionConfig, options: SourceStartOptions, feed?: SharedReceiptsFeed): Promise<InboundSource> {
  const handler = options.pipeline.handleDeliver;
  const store = feed ? sharedReceiptStore({ host: connection.host, port: connection.port, ...connection.receipts }) : null;
  const stopFeed = store && feed ? store.consume(feed.group, (receipt) => options.pipeline.handleReceipt(receipt), feed.onError) : null;
  // When this call opens the bind, the handler goes on before it binds: carriers deliver queued
  // messages right behind bind_resp. When the bind already exists, it goes on once we have it.
  let removeHandler: (() => void) | null = null;
  const lease = await acquireSmppTransport(connection, (opening) => {
    removeHandler = opening.addInboundHandler(handler);
  }).catch((err: Error) => {
    stopFeed?.();
    throw err;
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
      stopFeed?.();
      if (store && feed?.temporary) await store.dropGroup(feed.group).catch(() => undefined);
      transport.off('gaveUp', onGaveUp);
      remove();
      await lease.release();
    },
  };
}
