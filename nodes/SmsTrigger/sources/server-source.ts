import { acquireSmppServer } from '../../../src/registry/listener-registry';
import type { ServerAccount } from '../../../src/transport/smpp/server/bind-authenticator';
import type { SmppServerOptions } from '../../../src/transport/smpp/server/smpp-server';
import type { InboundSource, SourceStartOptions } from './inbound-source';

/**
 * SMPP server mode: listens on a port shared process-wide (an active workflow and a test
 * listen of the same trigger share it) and turns each submit_sm of `account` into events.
 */
export async function startServerSource(listen: SmppServerOptions, account: ServerAccount, options: SourceStartOptions): Promise<InboundSource & { port: number }> {
  const lease = await acquireSmppServer(listen);
  const server = lease.resource;
  const unsubscribe = server.subscribe({
    account,
    onSubmit: (pdu, receivedAt, systemId) => options.pipeline.handleSubmit(pdu, receivedAt, systemId),
  });
  const onError = (error: Error): void => options.onFatal(error);
  server.on('error', onError);
  let closed = false;
  return {
    port: server.port,
    close: async () => {
      if (closed) return;
      closed = true;
      server.off('error', onError);
      unsubscribe();
      await lease.release();
    },
  };
}
