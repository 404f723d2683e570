import type { ApplicationReceipts, ReceiptRoute, ReceiptSender } from '../../../src/dlr';
import { acquireSmppServer } from '../../../src/registry';
import type { ServerAccount, SmppServerOptions } from '../../../src/transport/smpp';
import { asksForReceipt, clientReceiptRequest } from '../../../src/transport/smpp';
import type { InboundSource, SourceStartOptions } from './inbound-source';

/** Where the receipts applications ask for are remembered, and (queue mode) how reported ones reach this server. */
export interface ServerReceiptSettings {
  store: ApplicationReceipts;
  /** Starts moving receipts reported in other processes for `route` (this listener, the account's system_id) to `send`; returns the stop function. */
  relay?: (route: ReceiptRoute, send: ReceiptSender) => () => void;
}

/**
 * SMPP server mode: listens on a port shared process-wide (an active workflow and a test
 * listen of the same trigger share it) and turns each submit_sm of `account` into events. A
 * submit that asks for a receipt is remembered first, so the workflow can report its outcome.
 */
export async function startServerSource(
  listen: SmppServerOptions,
  account: ServerAccount,
  options: SourceStartOptions,
  receipts: ServerReceiptSettings,
): Promise<InboundSource & { port: number }> {
  const lease = await acquireSmppServer(listen);
  const server = lease.resource;
  const send: ReceiptSender = (request, outcome) => server.sendReceipt(request, outcome);
  const stopRelay = receipts.relay?.({ listener: server.listenerId, systemId: account.systemId }, send);
  const unsubscribe = server.subscribe({
    account,
    onSubmit: async (pdu, receivedAt, systemId, messageId) => {
      // Remembered before the workflow sees the message; if it cannot be (Redis away) the submit is refused and retried.
      if (asksForReceipt(pdu.registeredDelivery))
        await receipts.store.remember(clientReceiptRequest(pdu, messageId, systemId, receivedAt, server.listenerId), send);
      await options.pipeline.handleSubmit(pdu, receivedAt, systemId, messageId);
    },
  });
  const onError = (error: Error): void => options.onFatal(error);
  server.on('error', onError);
  // Each receipt let go undelivered is counted (server.stats.receiptsDropped) and logged, once per server.
  const onDropped = (info: { systemId: string; messageId: string; reason: string }): void =>
    options.onWarning?.(`a receipt for SMPP application ${info.systemId} was not delivered: ${info.reason}`);
  server.on('receiptDropped', onDropped);
  let closed = false;
  return {
    port: server.port,
    close: async () => {
      if (closed) return;
      closed = true;
      server.off('error', onError);
      server.off('receiptDropped', onDropped);
      unsubscribe();
      stopRelay?.();
      await lease.release();
    },
  };
}
