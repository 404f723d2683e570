/** What other layers use of src/process-wide/: nodes/ and credentials/ import it only through this file. */
export { processWide } from './shared-resource-pool';
export type { Lease } from './shared-resource-pool';
