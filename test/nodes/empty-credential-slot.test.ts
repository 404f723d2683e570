/**
 * A node added from the node panel with a credential slot left empty. n8n's editor fills at most one
 * slot when a node is added (the most recently saved credential among all its slots), so Issue OTP
 * added by someone who has an SMPP Carrier and SMS OTP Settings credential gets only one of them.
 * Running it then must say which slot is empty in the panel's words ("SMPP Carrier"), not n8n's
 * 'Node does not have any credentials set for "smppApi"'.
 */
import type { IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import { credentialTypes, nodeTypes } from '../support/node-types';
import { otpCredentialTypes, otpNodeTypes, SIGNING_KEY } from '../fixtures/otp/otp-node-runs';

interface Case {
  title: string;
  type: string;
  parameters: IDataObject;
  /** The credentials the node has (the others are empty slots). */
  credentials: Record<string, { id: string; name: string }>;
  slot: string;
}

const OTP_REF = { smsOtpApi: { id: 'cred-otp', name: 'OTP settings' } };
const SMPP_REF = { smppApi: { id: 'cred-smpp', name: 'Carrier' } };

const cases: Case[] = [
  {
    title: 'Issue OTP with only SMS OTP Settings',
    type: 'n8n-nodes-sms-gateway.otpIssue',
    parameters: { phoneNumber: '+447400123456' },
    credentials: OTP_REF,
    slot: 'SMPP Carrier',
  },
  {
    title: 'Send SMS with no credential',
    type: 'n8n-nodes-sms-gateway.sendSms',
    parameters: { to: '+447400123456', message: 'hi' },
    credentials: {},
    slot: 'SMPP Carrier',
  },
  {
    title: 'Send SMS by modem with no modem',
    type: 'n8n-nodes-sms-gateway.sendSms',
    parameters: { transport: 'modem', to: '+447400123456', message: 'hi' },
    credentials: {},
    slot: 'GSM Modem',
  },
  {
    title: 'Send SMS, State Store Redis, no Redis',
    type: 'n8n-nodes-sms-gateway.sendSms',
    parameters: { to: '+447400123456', message: 'hi', stateStore: 'redis' },
    credentials: SMPP_REF,
    slot: 'SMS Gateway Redis',
  },
  {
    title: 'Broadcast Alert with no credential',
    type: 'n8n-nodes-sms-gateway.bulkAlertBroadcast',
    parameters: { recipientSource: 'list', recipientList: '+447400123456', message: 'Boil water' },
    credentials: {},
    slot: 'SMPP Carrier',
  },
];

describe('a credential slot left empty', () => {
  it.each(cases)('$title: the error names the empty "$slot" slot', async ({ type, parameters, credentials, slot }) => {
    const result = await runWorkflow({
      nodes: [{ name: 'Node', type, parameters, credentials }],
      connections: chain('Start', 'Node'),
      nodeTypes: { ...nodeTypes, ...otpNodeTypes },
      // The selected credentials exist; the empty slots have none to find.
      credentials: { smsOtpApi: { serverKey: SIGNING_KEY }, smppApi: { host: '127.0.0.1', port: 1, systemId: 'x', password: 'x' } },
      credentialTypes: [...credentialTypes, ...otpCredentialTypes],
      inputItems: [{}],
    });
    const error = { message: result.error?.message, description: result.error?.description };
    expect(error.message).toBe(`No ${slot} credential selected`);
    expect(error.description).toBe(`Choose one in the "${slot}" field at the top of the node's panel, or create one there`);
  });
});
