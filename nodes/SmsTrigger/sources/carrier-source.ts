import { sharedReceiptStore } from '../../../src/dlr';
import { acquireSmppTransport, reapplySmppSettings } from '../../../src/registry';
import type { SmppConnectionConfig } from '../../../src/registry';
import type { InboundSource, SourceStartOptions } from './inbound-source';

/** How the trigger reads receipts shared through Redis: its consumer group, and whether the group goes with it (a test listen). */
export interface SharedReceiptsFeed {
  group: string;
  temporary: boolean;
  onError(error: Error): void;
}

/** Reads the credential again: an active trigger holds its bind for good, and a user may edit the credential meanwhile. */
export interface CredentialRecheck {
  reload(): Promise<SmppConnectionConfig>;
  everyMs: number;
}

/**
 * Receives deliver_sm (MO messages and receipts) on the shared bind of an SMPP Carrier
 * credential: the same connection Send SMS uses, so a transceiver account needs one bind.
 * The transport reconnects by itself; only when it gives up does the trigger hear about it.
 * With receipts shared through Redis, receipt events come from the shared feed instead: those any
 * n8n process's bind received (a worker's transceiver, say), each once, after a restart too.
 */
export async function startCarrierSource(
  connection: SmppConnectionConfig,
  options: SourceStartOptions,
  feed?: SharedReceiptsFeed,
  recheck?: CredentialRecheck,
): Promise<InboundSource> {
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
  // Without a send on the same credential nothing else would bring an edit to this bind: the
  // trigger checks itself. Another host or account cannot be applied to this bind: reported
  // like a lost connection, so n8n reactivates the trigger, which then binds with the edit.
  const timer =
    recheck &&
    setInterval(() => {
      recheck
        .reload()
        .then((config) => reapplySmppSettings(transport, config))
        .then((applied) => {
          if (!applied && !closed) options.onFatal(new Error('the SMPP Carrier credential now names another host, port or account'));
        })
        .catch((err: Error) => {
          if (!closed) options.onFatal(err);
        });
    }, recheck.everyMs);
  timer?.unref();
  return {
    close: async () => {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      stopFeed?.();
      if (store && feed?.temporary) await store.dropGroup(feed.group).catch(() => undefined);
      transport.off('gaveUp', onGaveUp);
      remove();
      await lease.release();
    },
  };
}
