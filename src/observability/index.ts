/**
 * Operators' view of the gateway: lines in n8n's log, metrics on n8n's /metrics, and the status
 * of every connection in this process. No n8n imports: the nodes hand their logger in.
 */
import type { GatewayLogger } from './gateway-logger';
import { useGatewayLogger } from './gateway-log';
import { metricFamilies } from './gateway-metrics';
import { exportToPrometheus } from './n8n-prometheus';
import { startFallbackListener } from './fallback-listener';

export { reportEvent, reportBurst, useGatewayLogger } from './gateway-log';
export { gatewayMetrics, metricFamilies } from './gateway-metrics';
export { connectionStatuses, registerConnection } from './connection-board';
export type { ConnectionStatus } from './connection-board';
export type { GatewayLogger } from './gateway-logger';

/**
 * What every node calls when it runs: its logger becomes the gateway's, and the metrics are put
 * where they can be scraped (n8n's registry, or SMS_GATEWAY_METRICS_PORT).
 */
export function observeWith(logger: GatewayLogger | undefined): void {
  useGatewayLogger(logger);
  exportToPrometheus(metricFamilies());
  startFallbackListener(metricFamilies);
}
// Used by nodes/ and credentials/.
export { countBroadcast, otpCounters } from './outcome-counters';
