/** What other layers use of src/inbound/: nodes/ and credentials/ import it only through this file. */
export { FilterSettingError, compileEventFilter } from './event-filter';
export type { EventFilter, KeywordMatch } from './event-filter';
export type { InboundEvent, InboundEventType } from './inbound-event';
export { InboundPipeline } from './inbound-pipeline';
export { DEFAULT_START_KEYWORDS, DEFAULT_STOP_KEYWORDS } from './opt-out-keywords';
export type { OptOutKeywordOptions } from './opt-out-keywords';
