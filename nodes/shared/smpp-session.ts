import { acquireSmppTransport } from '../../src/registry/smpp-registry';
import type { SmppBindPool } from '../../src/transport/smpp/bind-pool';
import type { SenderDefaults } from '../../src/gateway/prepare-message';
import type { SmppCredentialSettings } from './smpp-credential';

export interface SmppSession {
  /** The credential's binds in this process (one unless the credential asks for more). */
  transport: SmppBindPool;
  defaults: SenderDefaults;
  release(): Promise<void>;
}

/**
 * Borrows the process-wide transport of this credential (shared with the SMS Gateway Trigger), with
 * the settings the node read: they include the node's State Store Redis for the TPS budget and the
 * receipts (see shareThroughStateStore), which the credential alone does not say.
 */
export async function openSmppSession(settings: SmppCredentialSettings): Promise<SmppSession> {
  const lease = await acquireSmppTransport(settings.connection);
  return {
    transport: lease.resource,
    defaults: { from: settings.sourceAddress, defaultCountry: settings.defaultCountry, sourceTonNpi: settings.sourceTonNpi, tlvs: settings.tlvs },
    release: lease.release,
  };
}
