// Regular mode: n8n's /metrics and our fallback listener (SMS_GATEWAY_METRICS_PORT) scraped by a real
// Prometheus, and n8n's log during a link drop (see support/observability-suite.ts).
import { observabilitySuite } from './support/observability-suite';

observabilitySuite('regular');
