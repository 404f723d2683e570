import type { IExecuteFunctions, ITriggerFunctions } from 'n8n-workflow';
import { observeWith } from '../../../src/observability';
import type { SmppConnectionConfig } from '../../../src/registry';

/**
 * Hands n8n's logger to the gateway (connection lines go to n8n's log) and puts the metrics on
 * n8n's /metrics; names `connection` after the node's credential, the label of its lines and metrics.
 */
export function observeNode(ctx: IExecuteFunctions | ITriggerFunctions, connection?: SmppConnectionConfig, credentialType = 'smppApi'): void {
  observeWith(ctx.logger);
  const name = ctx.getNode().credentials?.[credentialType]?.name;
  if (connection && name) connection.credentialName = name;
}
