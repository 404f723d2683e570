import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { SendSms } from '../../nodes/SendSms/SendSms.node';
import { BulkAlertBroadcast } from '../../nodes/BulkAlertBroadcast/BulkAlertBroadcast.node';
import { SmsGatewayRedisApi } from '../../credentials/SmsGatewayRedisApi.credentials';
import { SmppApi } from '../../credentials/SmppApi.credentials';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import type { HarnessNode } from '../harness/n8n-harness';

/** Our node types by the names n8n gives them when the package is installed. */
export const nodeTypes = {
  'n8n-nodes-sms-gateway.sendSms': new SendSms(),
  'n8n-nodes-sms-gateway.bulkAlertBroadcast': new BulkAlertBroadcast(),
};

export const credentialTypes = [new SmppApi(), new SmsGatewayRedisApi()];

/** An SMPP Carrier credential pointing at a sandbox. */
export function smppCredential(smsc: SandboxSmsc, extra: IDataObject = {}): ICredentialDataDecryptedObject {
  return {
    host: '127.0.0.1',
    port: smsc.port,
    systemId: 'sandbox',
    password: 'sandbox',
    sourceAddress: 'CITYALERT',
    tps: 0,
    windowSize: 10,
    enquireLinkSeconds: 0,
    responseTimeoutSeconds: 5,
    ...extra,
  };
}

export const smppCredentialRef = { smppApi: { id: 'cred-smpp', name: 'Sandbox carrier' } };

/**
 * A Bulk Alert Broadcast node sending one fixed text, journaled in memory, numbers British by
 * default; `parameters` add to or replace those.
 */
export function textBroadcastNode(parameters: IDataObject, credentials: HarnessNode['credentials']): HarnessNode {
  return {
    name: 'Broadcast',
    type: 'n8n-nodes-sms-gateway.bulkAlertBroadcast',
    parameters: {
      messageSource: 'text',
      message: 'Boil water notice: tap water is unsafe.',
      stateStore: 'memory',
      options: { defaultCountry: 'GB' },
      ...parameters,
    },
    credentials,
  };
}
