import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { acquireSmppTransport } from '../../src/registry/smpp-registry';
import type { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import type { SenderDefaults } from '../../src/gateway/prepare-message';
import { readSmppCredential } from './smpp-credential';

export interface SmppSession {
  transport: SmppTransport;
  defaults: SenderDefaults;
  release(): Promise<void>;
}

/** Borrows the process-wide transport of this credential (shared with the SMS Trigger). */
export async function openSmppSession(data: ICredentialDataDecryptedObject): Promise<SmppSession> {
  const settings = readSmppCredential(data);
  const lease = await acquireSmppTransport(settings.connection);
  return {
    transport: lease.resource,
    defaults: { from: settings.sourceAddress, defaultCountry: settings.defaultCountry, sourceTonNpi: settings.sourceTonNpi },
    release: lease.release,
  };
}
