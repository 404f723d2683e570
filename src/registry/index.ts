/** What other layers use of src/registry/: nodes/ and credentials/ import it only through this file. */
export { acquireSmppServer } from './listener-registry';
export { acquireModem, modemKey, modemRegistryUsers } from './modem-registry';
export { acquireSmppTransport, connectionKey, reapplySmppSettings, receiptTrackerOf, sentDataCodingOf, tpsBudgetKey } from './smpp-registry';
export type { SmppConnectionConfig } from './smpp-registry';
