import { acquireSmppTransport, tpsBudgetKey } from '../../../src/registry';
import { processWide } from '../../../src/process-wide';
import { SenderBudgets, SenderTpsLimit } from '../../../src/gateway';
import type { PartSender, SenderDefaults } from '../../../src/gateway';
import type { SmppBindPool } from '../../../src/transport/smpp';
import type { SmppCredentialSettings } from '../credentials/smpp-credential';

export interface SmppSession {
  /** The credential's binds in this process (one unless the credential asks for more). */
  transport: SmppBindPool;
  /** What sends go through: the binds, behind the credential's TPS per Sender ID when it has one. */
  sender: PartSender;
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
    sender: settings.senderTps.size > 0 ? senderTpsLimitFor(settings).wrap(lease.resource) : lease.resource,
    defaults: { from: settings.sourceAddress, defaultCountry: settings.defaultCountry, sourceTonNpi: settings.sourceTonNpi, tlvs: settings.tlvs },
    release: lease.release,
  };
}

/**
 * One budget per sender and account in this process, shared by every node execution that sends
 * from it: keyed by the account (host, port, system_id), not by the credential's other settings,
 * so an edited list or Binds count opens a new transport that spends the same budgets as the old.
 */
function senderTpsLimitFor(settings: SmppCredentialSettings): SenderTpsLimit {
  const accounts = processWide('senderTpsBudgets', () => new Map<string, SenderBudgets>());
  const key = tpsBudgetKey(settings.connection);
  let budgets = accounts.get(key);
  if (!budgets) accounts.set(key, (budgets = new SenderBudgets()));
  return new SenderTpsLimit(settings.senderTps, budgets);
}
