/** Node types, credentials and small helpers shared by the SMS Trigger node tests. */
import * as net from 'net';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { SmppApi } from '../../../credentials/SmppApi.credentials';
import { SmppServerApi } from '../../../credentials/SmppServerApi.credentials';
import { SendSms } from '../../../nodes/SendSms/SendSms.node';
import { SmsTrigger } from '../../../nodes/SmsTrigger/SmsTrigger.node';
import type { SandboxSmsc } from '../../../src/sandbox/sandbox-smsc';

export const TRIGGER = 'n8n-nodes-sms-gateway.smsTrigger';
export const SEND = 'n8n-nodes-sms-gateway.sendSms';

export const triggerNodeTypes = { [TRIGGER]: new SmsTrigger(), [SEND]: new SendSms() };
export const triggerCredentialTypes = [new SmppApi(), new SmppServerApi()];

export const carrierRef = { smppApi: { id: 'cred-smpp', name: 'Sandbox carrier' } };
export const serverRef = { smppServerApi: { id: 'cred-server', name: 'My apps' } };

export function carrierCredential(smsc: SandboxSmsc, extra: IDataObject = {}): ICredentialDataDecryptedObject {
  return {
    host: '127.0.0.1',
    port: smsc.port,
    systemId: 'sandbox',
    password: 'sandbox',
    sourceAddress: 'SHOP',
    tps: 0,
    windowSize: 10,
    enquireLinkSeconds: 0,
    responseTimeoutSeconds: 5,
    ...extra,
  };
}

export const SERVER_ACCOUNT = { systemId: 'myapp', password: 'app-pass' };

export function serverCredential(extra: IDataObject = {}): ICredentialDataDecryptedObject {
  return { ...SERVER_ACCOUNT, ...extra };
}

/** A port free right now (the OS picks it); for server-mode node tests, which must name a port. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
