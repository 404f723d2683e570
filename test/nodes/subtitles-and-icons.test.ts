/**
 * What the canvas shows of each node before anyone opens it: the subtitle under it, built from
 * the operation and transport (a fresh node once read "to" and "code to" with nothing after), and
 * an icon of its own (Send SMS and OTP Issue, the SMPP Carrier and GSM Modem credentials once
 * shared near-identical ones).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ICredentialType, INodeParameters, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { GsmModemApi } from '../../credentials/GsmModemApi.credentials';
import { SmppApi } from '../../credentials/SmppApi.credentials';
import { SmppServerApi } from '../../credentials/SmppServerApi.credentials';
import { SmsGatewayRedisApi } from '../../credentials/SmsGatewayRedisApi.credentials';
import { SmsOtpApi } from '../../credentials/SmsOtpApi.credentials';
import { BulkAlertBroadcast } from '../../nodes/BulkAlertBroadcast/BulkAlertBroadcast.node';
import { OtpIssue } from '../../nodes/OtpIssue/OtpIssue.node';
import { OtpVerify } from '../../nodes/OtpVerify/OtpVerify.node';
import { SendSms } from '../../nodes/SendSms/SendSms.node';
import { SmsTrigger } from '../../nodes/SmsTrigger/SmsTrigger.node';

const ROOT = path.join(__dirname, '..', '..');
const NODES: Array<[INodeType, string]> = [
  [new SendSms(), 'SendSms'],
  [new BulkAlertBroadcast(), 'BulkAlertBroadcast'],
  [new OtpIssue(), 'OtpIssue'],
  [new OtpVerify(), 'OtpVerify'],
  [new SmsTrigger(), 'SmsTrigger'],
];
const CREDENTIALS: ICredentialType[] = [new SmppApi(), new GsmModemApi(), new SmppServerApi(), new SmsOtpApi(), new SmsGatewayRedisApi()];

/**
 * The subtitle as the canvas shows it: the node's parameters with their defaults (as n8n fills
 * them in a new node) and the given values, then the subtitle's one {{ }} expression evaluated.
 */
function subtitle(description: INodeTypeDescription, version: number, values: INodeParameters): string {
  const node = { typeVersion: version, parameters: values } as never;
  const parameters = NodeHelpers.getNodeParameters(description.properties, values, true, false, node, description) ?? {};
  const expression = /^=\{\{([\s\S]*)\}\}$/.exec(String(description.subtitle));
  if (!expression) throw new Error(`${description.displayName}: the subtitle is not one {{ }} expression`);
  // The expression is plain JavaScript over $parameter, as n8n evaluates it.
  return String(new Function('$parameter', `return (${expression[1]});`)(parameters));
}

const byName = (name: string): INodeTypeDescription => NODES.map(([n]) => n.description).find((d) => d.name === name)!;

describe('subtitles on the canvas', () => {
  it.each([
    ['sendSms', 2, {}, 'send by SMPP'],
    ['sendSms', 2, { transport: 'modem' }, 'send by GSM modem'],
    ['sendSms', 2, { transport: 'failover' }, 'send by SMPP, modem failover'],
    ['sendSms', 2, { operation: 'getDeliveryStatus' }, 'get delivery status by SMPP'],
    ['sendSms', 1, {}, 'send by SMPP'],
    ['bulkAlertBroadcast', 2, {}, 'send SMS by SMPP'],
    ['bulkAlertBroadcast', 2, { dryRun: true }, 'send SMS by SMPP (dry run)'],
    ['bulkAlertBroadcast', 2, { resource: 'cellBroadcast', operation: 'cancel' }, 'cancel cell broadcast'],
    ['bulkAlertBroadcast', 1, { channel: 'cellBroadcastQuery' }, 'query cell broadcast'],
    ['otpIssue', 2, {}, 'send SMS code by SMPP'],
    ['otpIssue', 2, { operation: 'enrolAuthenticator' }, 'enrol authenticator app'],
    ['otpVerify', 2, {}, 'SMS code'],
    ['otpVerify', 2, { operation: 'verifyAuthenticatorCode' }, 'authenticator code'],
    ['smsTrigger', 1, {}, 'SMPP carrier'],
    ['smsTrigger', 1, { source: 'server', port: 2775 }, 'SMPP server, port 2775'],
  ])('%s v%i with %j reads "%s"', (name, version, values, expected) => {
    expect(subtitle(byName(name), version, values as INodeParameters)).toBe(expected);
  });

  it.each(
    NODES.flatMap(([n]) =>
      (Array.isArray(n.description.version) ? n.description.version : [n.description.version]).map((v) => [n.description.displayName, v] as const),
    ),
  )('%s v%i, fresh from the node panel, has a subtitle that ends in a word', (displayName, version) => {
    const description = NODES.map(([n]) => n.description).find((d) => d.displayName === displayName)!;
    expect(subtitle(description, version, {})).toMatch(/^[a-z].*[A-Za-z0-9)]$/i);
  });
});

describe('icons', () => {
  const sha = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  const iconFiles = (icon: unknown, dir: string): string[] => {
    const { light, dark } = icon as { light: string; dark: string };
    return [light, dark].map((f) => path.join(dir, f.replace(/^file:/, '')));
  };
  const owners = [
    ...NODES.map(([n, folder]) => ({ who: `node ${n.description.displayName}`, files: iconFiles(n.description.icon, path.join(ROOT, 'nodes', folder)) })),
    ...CREDENTIALS.map((c) => ({ who: `credential ${c.displayName}`, files: iconFiles(c.icon, path.join(ROOT, 'credentials')) })),
  ];

  it('every node and credential has a light and a dark icon that exist', () => {
    for (const { who, files } of owners) for (const file of files) expect({ who, file, exists: fs.existsSync(file) }).toEqual({ who, file, exists: true });
  });

  it('no two nodes or credentials share an icon', () => {
    const seen = new Map<string, string>();
    for (const { who, files } of owners) {
      for (const file of files) {
        const other = seen.get(sha(file));
        expect({ who, sameAs: other }).toEqual({ who, sameAs: undefined });
        seen.set(sha(file), who);
      }
    }
  });
});
