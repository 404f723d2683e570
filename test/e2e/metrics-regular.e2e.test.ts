// Regular mode: n8n's /metrics scraped by a real Prometheus, and n8n's log during a link drop (see support/observability-suite.ts).
import { observabilitySuite } from './support/observability-suite';

observabilitySuite('regular');
