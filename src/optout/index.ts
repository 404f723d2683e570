/** What other layers use of src/optout/: nodes/ and credentials/ import it only through this file. */
export { MemoryOptOutStore, RedisOptOutStore } from './opt-out-store';
export type { OptOutStore } from './opt-out-store';
