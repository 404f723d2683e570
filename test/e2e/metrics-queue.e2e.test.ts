// Queue mode (main + 2 workers, PostgreSQL, Redis): every process's /metrics scraped by a real
// Prometheus, and the main's log during a link drop (see support/observability-suite.ts).
import { observabilitySuite } from './support/observability-suite';

observabilitySuite('queue');
