/**
 * The node descriptions against the rules n8n's editor (2.40.x) applies to credentials, so that
 * every parameter stays on the panel and every credential slot is labelled, first, and offers
 * only its own type. Workflow JSON runs either way: only the editor showed these bugs, so the
 * editor suite (test/e2e/editor-*.e2e.test.ts) checks the same in the real n8n; this file says
 * at once, without a browser, which description breaks which rule.
 *
 * The editor rules (n8n's frontend, nodeTypesUtils.ts and ParameterInputList.vue):
 * - getNodeAuthFields: the parameters named in any credential's `displayOptions.show`.
 * - getMainAuthField: the first of those whose every string option (a boolean has none, so it
 *   always qualifies) enables some credential becomes the node's "authentication": it leaves the
 *   panel for the credential dialog, every parameter that any auth field's own `show` names is
 *   hidden too, and the slots become one "Credential" picker offering all their types.
 * - the slots are drawn before the last visible parameter named in a credential's `show`.
 * Conditions written as `hide` take part in none of this, and select slots the same way (n8n's
 * NodeHelpers.displayParameter reads both, in the editor and at run time).
 */
import type { INodeCredentialDescription, INodeParameters, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { BulkAlertBroadcast } from '../../nodes/BulkAlertBroadcast/BulkAlertBroadcast.node';
import { OtpIssue } from '../../nodes/OtpIssue/OtpIssue.node';
import { OtpVerify } from '../../nodes/OtpVerify/OtpVerify.node';
import { SendSms } from '../../nodes/SendSms/SendSms.node';
import { SmsTrigger } from '../../nodes/SmsTrigger/SmsTrigger.node';

const NODES: INodeType[] = [new SendSms(), new BulkAlertBroadcast(), new OtpIssue(), new OtpVerify(), new SmsTrigger()];

function versionsOf(description: INodeTypeDescription): number[] {
  return Array.isArray(description.version) ? description.version : [description.version];
}

/** The parameters a node of this version can show (its `@version` conditions hold). */
function propertiesOf(description: INodeTypeDescription, version: number): INodeProperties[] {
  const node = { typeVersion: version };
  return description.properties.filter((p) => {
    const versionRule = p.displayOptions?.show?.['@version'];
    return !versionRule || NodeHelpers.displayParameter({}, { displayOptions: { show: { '@version': versionRule } } } as INodeProperties, node, description);
  });
}

/** n8n's getNodeAuthFields, for one version. */
function authFields(description: INodeTypeDescription, properties: INodeProperties[]): INodeProperties[] {
  const names = new Set((description.credentials ?? []).flatMap((c) => Object.keys(c.displayOptions?.show ?? {})));
  return properties.filter((p) => names.has(p.name));
}

/** n8n's getMainAuthField (alternative-field branch; none of ours is called "authentication"). */
function mainAuthField(description: INodeTypeDescription, properties: INodeProperties[]): INodeProperties | undefined {
  const enabling: Record<string, string[]> = {};
  for (const credential of description.credentials ?? []) {
    for (const [name, values] of Object.entries(credential.displayOptions?.show ?? {})) {
      enabling[name] = [...(enabling[name] ?? []), ...(values ?? []).map(String)];
    }
  }
  return authFields(description, properties).find((field) =>
    (field.options ?? []).every((option) => !('value' in option) || typeof option.value !== 'string' || enabling[field.name].includes(option.value)),
  );
}

const cases = NODES.flatMap((node) => versionsOf(node.description).map((version) => ({ node, version, label: `${node.description.displayName} v${version}` })));

describe.each(cases)('$label in the n8n editor', ({ node, version }) => {
  const { description } = node;
  const properties = propertiesOf(description, version);
  const credentials = description.credentials ?? [];

  it('has no parameter the editor would take for the authentication (and hide with what depends on it)', () => {
    expect(mainAuthField(description, properties)?.name).toBeUndefined();
  });

  it('names in credential conditions only parameters that are on the panel, none with conditions of its own in a `show`', () => {
    for (const credential of credentials) {
      for (const [kind, conditions] of Object.entries(credential.displayOptions ?? {})) {
        for (const name of Object.keys(conditions ?? {})) {
          const onPanel = properties.filter((p) => p.name === name);
          // Version 1 and 2 of Broadcast Alert share one credential list; each version names its own selector.
          if (onPanel.length === 0 && ['channel', 'resource'].includes(name)) continue;
          expect({ credential: credential.name, parameter: name, onPanel: onPanel.length > 0 }).toEqual({
            credential: credential.name,
            parameter: name,
            onPanel: true,
          });
          if (kind === 'show')
            expect({ credential: credential.name, parameter: name, ownConditions: onPanel.some((p) => p.displayOptions) }).toEqual({
              credential: credential.name,
              parameter: name,
              ownConditions: false,
            });
        }
      }
    }
  });

  it('puts the credential slots first (no credential depends on a parameter by `show`)', () => {
    expect(credentials.filter((c) => c.displayOptions?.show).map((c) => c.name)).toEqual([]);
  });

  it('labels every slot with its own type and names a credential test the node has', () => {
    const tests = node.methods?.credentialTest ?? {};
    for (const credential of credentials) {
      expect({ name: credential.name, label: typeof credential.displayName }).toEqual({ name: credential.name, label: 'string' });
      expect({ name: credential.name, test: typeof tests[String(credential.testedBy)] }).toEqual({ name: credential.name, test: 'function' });
    }
    expect(new Set(credentials.map((c) => c.name)).size).toBe(credentials.length);
  });
});

/** The slots shown for some parameter values, computed by n8n's own NodeHelpers with the node's defaults. */
function slotsFor(node: INodeType, version: number, values: INodeParameters): string[] {
  const { description } = node;
  const parameters = NodeHelpers.getNodeParameters(description.properties, values, true, false, { typeVersion: version }, description) ?? {};
  return (description.credentials ?? [])
    .filter((credential: INodeCredentialDescription) => NodeHelpers.displayParameter(parameters, credential, { typeVersion: version }, description, parameters))
    .map((credential) => credential.name);
}

const BY_TRANSPORT: Record<string, string[]> = { smpp: ['smppApi'], modem: ['gsmModemApi'], failover: ['smppApi', 'gsmModemApi'] };
const REDIS = 'smsGatewayRedisApi';

describe('each slot appears exactly where it is used', () => {
  it.each([1, 2])("Send SMS v%i: the transport's credentials, and Redis for the Redis state store", (version) => {
    for (const transport of Object.keys(BY_TRANSPORT)) {
      expect(slotsFor(new SendSms(), version, { transport })).toEqual(BY_TRANSPORT[transport]);
      expect(slotsFor(new SendSms(), version, { transport, stateStore: 'redis' })).toEqual([...BY_TRANSPORT[transport], REDIS]);
    }
  });

  it('Broadcast Alert v2: SMS by its transport, cell broadcast by SMPP only, both without a modem-only choice', () => {
    const node = new BulkAlertBroadcast();
    for (const transport of Object.keys(BY_TRANSPORT)) {
      expect(slotsFor(node, 2, { resource: 'sms', transport })).toEqual(BY_TRANSPORT[transport]);
    }
    for (const operation of ['send', 'update', 'cancel', 'query']) {
      expect(slotsFor(node, 2, { resource: 'cellBroadcast', operation, transport: 'modem' })).toEqual(['smppApi']);
      expect(slotsFor(node, 2, { resource: 'cellBroadcast', operation, stateStore: 'redis' })).toEqual(['smppApi', REDIS]);
    }
    expect(slotsFor(node, 2, { resource: 'both', transport: 'failover' })).toEqual(['smppApi', 'gsmModemApi']);
    expect(slotsFor(node, 2, { resource: 'both' })).toEqual(['smppApi']);
  });

  it('Broadcast Alert v1: as saved, with Channel', () => {
    const node = new BulkAlertBroadcast();
    expect(slotsFor(node, 1, { channel: 'sms', transport: 'modem' })).toEqual(['gsmModemApi']);
    expect(slotsFor(node, 1, { channel: 'sms', transport: 'failover', stateStore: 'redis' })).toEqual(['smppApi', 'gsmModemApi', REDIS]);
    for (const channel of ['cellBroadcast', 'cellBroadcastQuery', 'cellBroadcastCancel']) {
      expect(slotsFor(node, 1, { channel, transport: 'failover' })).toEqual(['smppApi']);
    }
  });

  it.each([1, 2])('Issue OTP v%i: the transport, SMS OTP Settings and Redis to send codes; enrolling sends nothing, so no carrier or modem', (version) => {
    for (const transport of Object.keys(BY_TRANSPORT)) {
      expect(slotsFor(new OtpIssue(), version, { operation: 'sendSmsCode', transport, stateStore: 'redis' })).toEqual([
        ...BY_TRANSPORT[transport],
        'smsOtpApi',
        REDIS,
      ]);
      // Version 1 enrolment keeps nothing; version 2 keeps the secret in the State Store.
      expect(slotsFor(new OtpIssue(), version, { operation: 'enrolAuthenticator', transport, stateStore: 'redis' })).toEqual(
        version === 1 ? ['smsOtpApi'] : ['smsOtpApi', REDIS],
      );
      expect(slotsFor(new OtpIssue(), version, { operation: 'enrolAuthenticator', transport })).toEqual(['smsOtpApi']);
    }
  });

  it.each([1, 2])('Verify OTP v%i: Redis only where a state store is used', (version) => {
    expect(slotsFor(new OtpVerify(), version, { operation: 'verifySmsCode', stateStore: 'redis' })).toEqual(['smsOtpApi', REDIS]);
    expect(slotsFor(new OtpVerify(), version, { operation: 'cancel', stateStore: 'memory' })).toEqual(['smsOtpApi']);
    // The authenticator check keeps its wrong-code limits in the State Store (version 1 too).
    expect(slotsFor(new OtpVerify(), version, { operation: 'verifyAuthenticatorCode', stateStore: 'redis' })).toEqual(['smsOtpApi', REDIS]);
    expect(slotsFor(new OtpVerify(), version, { operation: 'verifyAuthenticatorCode' })).toEqual(['smsOtpApi']);
  });

  it('SMS Gateway Trigger: one slot per Source, Redis for opt-outs and receipts kept in Redis', () => {
    const bySource: Record<string, string> = { carrier: 'smppApi', server: 'smppServerApi', modem: 'gsmModemApi' };
    for (const [source, credential] of Object.entries(bySource)) {
      expect(slotsFor(new SmsTrigger(), 1, { source })).toEqual([credential]);
      expect(slotsFor(new SmsTrigger(), 1, { source, stateStore: 'redis' })).toEqual([credential, REDIS]);
      // The State Store also keeps the delivery receipts, with or without opt-out handling.
      expect(slotsFor(new SmsTrigger(), 1, { source, stateStore: 'redis', handleOptOut: false })).toEqual([credential, REDIS]);
    }
  });
});

describe('names and icons on the node panel', () => {
  it('every node has its own icon and a verb-noun name; the trigger is listed by app', () => {
    const icons = NODES.map((node) => JSON.stringify(node.description.icon));
    expect(new Set(icons).size).toBe(NODES.length);
    expect(NODES.map((node) => node.description.displayName)).toEqual(['Send SMS', 'Broadcast Alert', 'Issue OTP', 'Verify OTP', 'SMS Gateway Trigger']);
  });
});
