import type { IDataObject } from 'n8n-workflow';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { chain, runWorkflow } from '../harness/n8n-harness';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from './node-types';

const SEND = 'n8n-nodes-sms-gateway.sendSms';

/** Runs one Send SMS node named "Op" (any operation) on `inputItems`, its SMPP credential pointing at `smsc`. */
export function runSendSmsOp(smsc: SandboxSmsc, parameters: IDataObject, inputItems: IDataObject[], continueOnFail = false) {
  return runWorkflow({
    nodes: [{ name: 'Op', type: SEND, parameters, credentials: smppCredentialRef, continueOnFail }],
    connections: chain('Start', 'Op'),
    nodeTypes,
    credentials: { smppApi: smppCredential(smsc) },
    credentialTypes,
    inputItems,
  });
}
