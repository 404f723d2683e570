import type { PartSender } from '../../src/gateway/send-sms';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import type { HeldAnswerSmsc } from './held-answer-smsc';

/** A bound transport to the held-answer SMSC, one bind with `windowSize`, no enquire_link. */
export async function heldAnswerTransport(smsc: HeldAnswerSmsc, windowSize: number): Promise<SmppTransport> {
  const transport = new SmppTransport({
    host: '127.0.0.1',
    port: smsc.port,
    systemId: 'x',
    password: 'y',
    windowSize,
    enquireLinkMs: 0,
    responseTimeoutMs: 10_000,
  });
  await transport.start();
  return transport;
}

/**
 * A broadcast's sender over `transport` that the test can make unusable (as a transport that
 * gave up): the broadcast asks after each send and stops.
 */
export function stoppableSender(transport: SmppTransport): { sender: PartSender; stop(reason: string): void } {
  let unusable: string | null = null;
  return {
    sender: {
      submit: (pdu, options) => transport.submit(pdu, options),
      submitTo: (pdu, options, receiver) => transport.submitTo(pdu, options, receiver),
      unusableReason: () => unusable,
    },
    stop: (reason) => {
      unusable = reason;
    },
  };
}
