/**
 * Shared setup of the transport-choice node tests (test/nodes/transport-choice*.test.ts): node
 * and credential types, credentials for the sandbox SMSC and the simulated modem, and one-node
 * workflow runs through n8n's WorkflowExecute.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { HarnessRun } from '../harness/n8n-harness';
import { SendSms } from '../../nodes/SendSms/SendSms.node';
import { BulkAlertBroadcast } from '../../nodes/BulkAlertBroadcast/BulkAlertBroadcast.node';
import { OtpIssue } from '../../nodes/OtpIssue/OtpIssue.node';
import { OtpVerify } from '../../nodes/OtpVerify/OtpVerify.node';
import { GsmModemApi } from '../../credentials/GsmModemApi.credentials';
import { SmppApi } from '../../credentials/SmppApi.credentials';
import { SmsGatewayRedisApi } from '../../credentials/SmsGatewayRedisApi.credentials';
import { SmsOtpApi } from '../../credentials/SmsOtpApi.credentials';
import type { SimulatedModem } from '../../src/transport/modem/simulator';

export const SEND_SMS = 'n8n-nodes-sms-gateway.sendSms';
export const BROADCAST = 'n8n-nodes-sms-gateway.bulkAlertBroadcast';
export const OTP_ISSUE = 'n8n-nodes-sms-gateway.otpIssue';
export const OTP_VERIFY = 'n8n-nodes-sms-gateway.otpVerify';

export const nodeTypes = {
  [SEND_SMS]: new SendSms(),
  [BROADCAST]: new BulkAlertBroadcast(),
  [OTP_ISSUE]: new OtpIssue(),
  [OTP_VERIFY]: new OtpVerify(),
};

export const credentialTypes = [new SmppApi(), new GsmModemApi(), new SmsGatewayRedisApi(), new SmsOtpApi()];

const REFS: Record<string, { id: string; name: string }> = {
  smppApi: { id: 'cred-smpp', name: 'Sandbox carrier' },
  gsmModemApi: { id: 'cred-modem', name: 'Simulated modem' },
  smsGatewayRedisApi: { id: 'cred-redis', name: 'Redis' },
};

export function smppCredential(port: number): ICredentialDataDecryptedObject {
  return {
    host: '127.0.0.1',
    port,
    systemId: 'sandbox',
    password: 'sandbox',
    sourceAddress: 'CITYALERT',
    defaultCountry: 'GB',
    tps: 0,
    windowSize: 20,
    enquireLinkSeconds: 0,
    responseTimeoutSeconds: 2,
  };
}

export function modemCredential(sim: Pick<SimulatedModem, 'path'>, extra: IDataObject = {}): ICredentialDataDecryptedObject {
  return { devicePath: sim.path, baudRate: 115200, defaultCountry: 'GB', ...extra };
}

export interface NodeRun {
  type: string;
  name: string;
  parameters: IDataObject;
  /** Credential data by type; each one given is also selected on the node. */
  credentials: Record<string, ICredentialDataDecryptedObject>;
  inputItems?: IDataObject[];
  continueOnFail?: boolean;
}

/** Runs one node after a Start node, with exactly the credentials given selected on it. */
export function runNode(run: NodeRun): Promise<HarnessRun> {
  const refs = Object.fromEntries(Object.keys(run.credentials).map((type) => [type, REFS[type] ?? { id: `cred-${type}`, name: type }]));
  return runWorkflow({
    nodes: [{ name: run.name, type: run.type, parameters: run.parameters, credentials: refs, continueOnFail: run.continueOnFail }],
    connections: chain('Start', run.name),
    nodeTypes,
    credentials: run.credentials,
    credentialTypes,
    inputItems: run.inputItems ?? [{}],
  });
}

/** The texts the simulated modem put on the network, by destination (as the phone shows them). */
export function modemTextsTo(sim: SimulatedModem, e164: string): string[] {
  return sim.simulator.sent.filter((s) => s.submit.destination.address.replace(/^\+?/, '+') === e164).map((s) => s.text);
}
