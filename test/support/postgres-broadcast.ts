import type { IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmsGatewayPostgresApi } from '../../credentials/SmsGatewayPostgresApi.credentials';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef, textBroadcastNode } from './node-types';
import { LOCAL_POSTGRES } from './private-postgres';

const POSTGRES_REF = { smsGatewayPostgresApi: { id: 'cred-pg', name: 'Residents database' } };

/**
 * One Bulk Alert Broadcast node, Recipient Source = PostgreSQL Query, run through n8n's engine
 * against the sandbox (window 50) and the local PostgreSQL. `defaults` are the test file's own
 * parameters, `parameters` the case's; `postgres` overrides fields of the credential.
 */
export function runPostgresBroadcast(
  smsc: SandboxSmsc,
  defaults: IDataObject,
  parameters: IDataObject,
  inputItems: IDataObject[] = [{}],
  postgres: IDataObject = {},
): ReturnType<typeof runWorkflow> {
  return runWorkflow({
    nodes: [textBroadcastNode({ recipientSource: 'postgres', ...defaults, ...parameters }, { ...smppCredentialRef, ...POSTGRES_REF })],
    connections: chain('Start', 'Broadcast'),
    nodeTypes,
    credentials: { smppApi: smppCredential(smsc, { windowSize: 50 }), smsGatewayPostgresApi: { ...LOCAL_POSTGRES, ...postgres } },
    credentialTypes: [...credentialTypes, new SmsGatewayPostgresApi()],
    inputItems,
  });
}
