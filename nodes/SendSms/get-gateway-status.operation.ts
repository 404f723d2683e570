import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { connectionStatuses, observeWith } from '../../src/observability';

/**
 * Get Gateway Status: one item per connection this n8n process has open (SMPP binds, SMS
 * Trigger server-mode listeners, GSM modems) with its state and counters, so a workflow can
 * alert on them (e.g. Schedule Trigger, then IF `up` is false, then Slack). It reads the
 * process's own state: in queue mode it runs on a worker and sees that worker's connections.
 * No credential: it opens nothing. No connection open: no items (n8n's "Always Output Data"
 * setting gives one empty item instead).
 */
export function getGatewayStatus(ctx: IExecuteFunctions): INodeExecutionData[] {
  observeWith(ctx.logger);
  const checkedAt = new Date().toISOString();
  return connectionStatuses().map((status) => ({
    json: { ...status, processId: process.pid, checkedAt } as IDataObject,
    pairedItem: { item: 0 },
  }));
}
