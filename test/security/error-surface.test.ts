/**
 * What users see of bad input, pinned: every node's bad-value cases run through n8n's engine
 * three ways (the node stops; Continue On Fail; On Error: Continue using error output), and the
 * error's class, message, description, item and context, and the output items' error fields are
 * compared with a snapshot taken before the error classes were unified. A change to any of
 * them fails here: refactoring the error model must not change a word users read.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { HarnessError, HarnessRun } from '../harness/n8n-harness';
import { TEXT_TO_BINARY_TYPE, TextToBinaryNode } from '../harness/example-nodes';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { closeAllSmppServers } from '../../src/registry/listener-registry';
import { closeSharedRedisClients } from '../../nodes/shared/state/redis-connection';
import { startSandbox } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential } from '../support/node-types';
import { ISSUE_TYPE, VERIFY_TYPE, otpCredentialTypes, otpNodeTypes, sandboxSmppCredential, SIGNING_KEY } from '../fixtures/otp/otp-node-runs';
import { carrierCredential, serverCredential, TRIGGER, triggerCredentialTypes, triggerNodeTypes } from '../inbound/support/trigger-node-setup';
import { REFUSED_PORT } from '../reliability/support/silent-server';

const SEND = 'n8n-nodes-sms-gateway.sendSms';
const BROADCAST = 'n8n-nodes-sms-gateway.bulkAlertBroadcast';
const OTP_SETTINGS = { serverKey: SIGNING_KEY, defaultCountry: 'DE', appName: 'ACME' };
const REDIS_DOWN = { host: '127.0.0.1', port: REFUSED_PORT, keyPrefix: 'error-surface:' };
const POLYGON = '51.50,-0.13 51.51,-0.12 51.50,-0.11 51.49,-0.12 51.50,-0.13';

type Mode = 'stop' | 'continueOnFail' | 'errorOutput';

/** One node with a bad value; `items` are its input items (good ones around the bad one where it matters). */
interface Case {
  name: string;
  type: string;
  parameters: IDataObject;
  typeVersion?: number;
  items?: IDataObject[];
  /** Credential data by type; functions get the sandbox. */
  credentials: (smsc: SandboxSmsc) => Record<string, ICredentialDataDecryptedObject>;
  /** The node reads binary input from a Text-to-Binary node in front of it. */
  withFile?: boolean;
  /** Triggers run once: they have no items to continue with. */
  trigger?: boolean;
}

const smpp =
  (extra: IDataObject = {}) =>
  (smsc: SandboxSmsc) => ({ smppApi: smppCredential(smsc, extra) });
const smppAndRedis =
  (redis: IDataObject = {}) =>
  (smsc: SandboxSmsc) => ({
    smppApi: smppCredential(smsc),
    smsGatewayRedisApi: { host: '127.0.0.1', port: 6379, keyPrefix: 'error-surface:', ...redis },
  });
const otp =
  (extra: { otpSettings?: IDataObject; redis?: IDataObject; smpp?: boolean } = {}) =>
  (smsc: SandboxSmsc) => ({
    ...(extra.smpp === false ? {} : { smppApi: sandboxSmppCredential(smsc) }),
    smsOtpApi: { ...OTP_SETTINGS, ...extra.otpSettings },
    ...(extra.redis ? { smsGatewayRedisApi: extra.redis as ICredentialDataDecryptedObject } : {}),
  });
const trigger =
  (extra: { carrier?: IDataObject; server?: IDataObject } = {}) =>
  (smsc: SandboxSmsc) => ({
    smppApi: carrierCredential(smsc, extra.carrier),
    smppServerApi: serverCredential(extra.server),
  });

const SEND_ITEMS = [
  { to: '+447911123001', text: 'first', from: 'CITYALERT' },
  { to: '+447911123002', text: 'second', from: 'CITYALERT' },
  { to: '+447911123003', text: 'third', from: 'CITYALERT' },
];
const sendItems = (bad: IDataObject) => [SEND_ITEMS[0], { ...SEND_ITEMS[1], ...bad }, SEND_ITEMS[2]];
const SEND_PARAMETERS = { to: '={{ $json.to }}', message: '={{ $json.text }}', from: '={{ $json.from }}' };
const sendCase = (name: string, bad: IDataObject, parameters: IDataObject = {}, credentials = smpp()): Case => ({
  name: `Send SMS: ${name}`,
  type: SEND,
  parameters: { ...SEND_PARAMETERS, ...parameters },
  items: sendItems(bad),
  credentials,
});
const broadcastCase = (name: string, parameters: IDataObject, extra: Partial<Case> = {}): Case => ({
  name: `Broadcast: ${name}`,
  type: BROADCAST,
  parameters: { recipientSource: 'items', recipientField: 'phone', messageSource: 'text', message: 'Boil water notice', stateStore: 'memory', ...parameters },
  items: [{ phone: '+447911123001' }],
  credentials: smppAndRedis(),
  ...extra,
});
const cellCase = (name: string, parameters: IDataObject, typeVersion = 2): Case =>
  broadcastCase(
    `cell broadcast v${typeVersion}: ${name}`,
    {
      ...(typeVersion === 1 ? { channel: 'cellBroadcast' } : { resource: 'cellBroadcast', operation: 'send' }),
      message: 'Flash flood warning for the river district.',
      ...parameters,
    },
    { typeVersion, items: [{}] },
  );
const issueCase = (name: string, parameters: IDataObject, credentials = otp(), items?: IDataObject[]): Case => ({
  name: `OTP Issue: ${name}`,
  type: ISSUE_TYPE,
  parameters: { phoneNumber: '+4915112345678', appName: 'ACME', ...parameters },
  credentials,
  items,
});
const VERIFY_ITEM = { phone: '+4915112345678', code: '123456', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', userId: 'user-1' };
const verifyCase = (name: string, bad: IDataObject, parameters: IDataObject = {}, extra: Partial<Case> = {}): Case => ({
  name: `OTP Verify: ${name}`,
  type: VERIFY_TYPE,
  parameters: {
    operation: 'verifySmsCode',
    phoneNumber: '={{ $json.phone }}',
    code: '={{ $json.code }}',
    secret: '={{ $json.secret }}',
    userId: '={{ $json.userId }}',
    ...parameters,
  },
  items: [VERIFY_ITEM, { ...VERIFY_ITEM, ...bad }],
  credentials: otp({ smpp: false }),
  ...extra,
});
const triggerCase = (name: string, parameters: IDataObject, credentials = trigger()): Case => ({
  name: `SMS Trigger: ${name}`,
  type: TRIGGER,
  parameters,
  credentials,
  trigger: true,
});

const cases: Case[] = [
  // Send SMS: one bad item among good ones (prepareSms, read-message-options, custom TLVs).
  sendCase('To not a number', { to: 'call me' }),
  sendCase('To with no country', { to: '+99 123' }),
  sendCase('To empty', { to: '' }),
  sendCase('Message empty', { text: '' }),
  sendCase('Message over Max Parts', { text: 'y'.repeat(400) }, { options: { maxParts: 2 } }),
  sendCase('Message not GSM-7', { text: 'Flood 🌊 warning' }, { options: { encoding: 'gsm7' } }),
  sendCase('From too long', { from: 'ABCDEFGHIJKL' }),
  sendCase('Validity Period negative', { validity: -5 }, { options: { validityMinutes: '={{ $json.validity ?? 0 }}' } }),
  sendCase('Scheduled Delivery Time not a date', { when: 'next tuesday-ish' }, { options: { scheduleAt: '={{ $json.when ?? "" }}' } }),
  sendCase('Service Type too long', { serviceType: 'TOOLONG' }, { smppOptions: { serviceType: '={{ $json.serviceType ?? "" }}' } }),
  sendCase(
    'Custom TLV value too big',
    { template: '70000' },
    { smppOptions: { customTlvs: { tlv: [{ tag: '0x1401', type: 'int16', value: '={{ $json.template ?? "1" }}' }] } } },
  ),
  sendCase('Custom TLV tag set by the gateway', {}, { smppOptions: { customTlvs: { tlv: [{ tag: '0x0424', type: 'hex', value: '00' }] } } }),
  // Send SMS: the credential.
  sendCase('credential Host empty', {}, {}, smpp({ host: '' })),
  sendCase('credential TPS negative', {}, {}, smpp({ tps: -1 })),
  sendCase('credential Binds 33', {}, {}, smpp({ binds: 33 })),
  sendCase('credential Custom TLV tag not hex', {}, {}, smpp({ customTlvs: { tlv: [{ tag: 'PE_ID', type: 'string', value: '1' }] } })),
  sendCase('credential port refused', {}, {}, smpp({ port: REFUSED_PORT })),
  sendCase('credential wrong password', {}, {}, smpp({ password: 'Wr0ngPw!' })),
  sendCase('credential Sender TPS entry', {}, {}, smpp({ senderTps: 'CITYALERT=fast' })),
  // Send SMS: operations on sent messages.
  {
    name: 'Send SMS: query, message ID with a space',
    type: SEND,
    parameters: { operation: 'queryMessage', messageIds: '={{ $json.id }}' },
    items: [{ id: 'abc' }, { id: 'a b' }],
    credentials: smpp(),
  },
  {
    name: 'Send SMS: cancel, Sent From too long',
    type: SEND,
    parameters: { operation: 'cancelMessage', messageIds: 'abc', sentFrom: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' },
    credentials: smpp(),
  },
  { name: 'Send SMS: query, unknown message', type: SEND, parameters: { operation: 'queryMessage', messageIds: 'no-such-message' }, credentials: smpp() },
  {
    name: 'Send SMS: replace, new text not GSM-7',
    type: SEND,
    parameters: { operation: 'replaceMessage', messageIds: 'abc', newMessage: 'Flood 🌊', replaceOptions: { encoding: 'gsm7' } },
    credentials: smpp(),
  },
  {
    name: 'Send SMS: replace, new text empty',
    type: SEND,
    parameters: { operation: 'replaceMessage', messageIds: 'abc', newMessage: '={{ "" }}' },
    credentials: smpp(),
  },
  {
    name: 'Send SMS: cancel, Recipient not a number',
    type: SEND,
    parameters: { operation: 'cancelMessage', messageIds: 'abc', cancelOptions: { to: 'call me' } },
    credentials: smpp(),
  },
  sendCase('Default Country unknown', { to: '07911 123456' }, { options: { defaultCountry: 'XX' } }),
  sendCase('credential Default Country unknown', { to: '07911 123456' }, {}, smpp({ defaultCountry: 'XX' })),
  // Bulk Alert Broadcast.
  broadcastCase('CAP not XML', { messageSource: 'cap', capXml: 'flood warning!' }),
  broadcastCase('CAP without info', { messageSource: 'cap', capXml: '<alert><identifier>x</identifier><msgType>Alert</msgType></alert>' }),
  broadcastCase('Message empty', { message: '' }),
  broadcastCase('Recipient List empty', { recipientSource: 'list', recipientList: '  ' }),
  broadcastCase(
    'invalid numbers among good ones',
    { broadcastId: 'error-surface-invalid' },
    { items: [{ phone: '+447911123001' }, { phone: 'not a number' }, { phone: '+99 123' }] },
  ),
  broadcastCase('message not GSM-7', { options: { encoding: 'gsm7' }, message: 'Flood 🌊 warning', broadcastId: 'error-surface-gsm7' }),
  broadcastCase(
    'CSV column missing',
    { recipientSource: 'file', csvPhoneColumn: 'mobile', options: { defaultCountry: 'GB' } },
    { items: [{ text: 'name,phone\nAnn,+447911123001\n' }], withFile: true },
  ),
  broadcastCase('CSV column number too big', { recipientSource: 'list', recipientList: 'name,phone\nAnn,+447911123001', csvPhoneColumn: '7' }),
  ...(
    [
      ['PostgreSQL bad SQL', { postgresQuery: 'SELEC id, phone FROM residents' }, {}],
      ['PostgreSQL key not unique', { postgresQuery: "SELECT * FROM (VALUES (1, '+447911123001'), (1, '+447911123002')) AS v(id, phone)" }, {}],
      ['PostgreSQL connection refused', {}, { port: REFUSED_PORT }],
    ] as Array<[string, IDataObject, IDataObject]>
  ).map(([name, parameters, database]) =>
    broadcastCase(
      name,
      { recipientSource: 'postgres', broadcastId: 'error-surface-postgres', ...parameters },
      {
        credentials: (s) => ({
          ...smppAndRedis()(s),
          smsGatewayPostgresApi: { host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres', ...database },
        }),
      },
    ),
  ),
  broadcastCase('Redis port 70000', { stateStore: 'redis' }, { credentials: smppAndRedis({ port: 70000 }) }),
  broadcastCase('Redis down', { stateStore: 'redis' }, { credentials: smppAndRedis(REDIS_DOWN) }),
  broadcastCase('credential TPS negative', {}, { credentials: (s) => ({ ...smppAndRedis()(s), smppApi: smppCredential(s, { tps: -1 }) }) }),
  broadcastCase(
    'credential port refused',
    { broadcastId: 'error-surface-refused' },
    { credentials: (s) => ({ ...smppAndRedis()(s), smppApi: smppCredential(s, { port: REFUSED_PORT }) }) },
  ),
  broadcastCase('Default Country unknown', { options: { defaultCountry: 'XX' }, broadcastId: 'error-surface-country' }, { items: [{ phone: '07911 123001' }] }),
  broadcastCase('From too long', { from: 'ABCDEFGHIJKL', broadcastId: 'error-surface-from' }),
  broadcastCase(
    'credential Default Country unknown',
    { broadcastId: 'error-surface-credential-country' },
    { items: [{ phone: '07911 123001' }], credentials: (s) => ({ ...smppAndRedis()(s), smppApi: smppCredential(s, { defaultCountry: 'XX' }) }) },
  ),
  cellCase('polygon of 2 points', { cbAreaSource: 'polygon', cbPolygon: '51.5,-0.13 51.51,-0.12 51.5,-0.13' }),
  cellCase('latitude 95', { cbAreaSource: 'circle', cbCircleLatitude: 95, cbCircleLongitude: 0, cbCircleRadiusKm: 1 }),
  cellCase('area names empty', { cbAreaSource: 'aliases', cbAliases: ' ' }),
  cellCase('text of 16 pages', { cbAreaSource: 'aliases', cbAliases: 'RIVER', message: 'x'.repeat(1400) }),
  cellCase('area from CAP without CAP', { cbAreaSource: 'cap' }),
  cellCase('repetition interval 1.5', { cbAreaSource: 'aliases', cbAliases: 'RIVER', cbIntervalSeconds: 1.5 }),
  cellCase('polygon with a word', { cbAreaSource: 'polygon', cbPolygon: '51.5,-0.13 north,-0.12 51.5,-0.11' }, 1),
  cellCase('message empty', { cbAreaSource: 'polygon', cbPolygon: POLYGON, message: '={{ "" }}' }, 1),
  cellCase('query without a message id', { cbMessageId: '={{ "" }}' }, 2),
  {
    ...cellCase('update without a message id', { cbAreaSource: 'aliases', cbAliases: 'RIVER', cbMessageId: '={{ $json.id ?? "" }}' }),
    parameters: {
      resource: 'cellBroadcast',
      operation: 'update',
      messageSource: 'text',
      message: 'x',
      cbAreaSource: 'aliases',
      cbAliases: 'RIVER',
      cbMessageId: '={{ $json.id ?? "" }}',
      stateStore: 'memory',
    },
  },
  // OTP Issue.
  issueCase('Phone Number 12', { phoneNumber: '12' }),
  issueCase('Phone Number 12 among good ones', { phoneNumber: '={{ $json.phone }}' }, otp(), [{ phone: '+4915112345001' }, { phone: '12' }]),
  issueCase('Code Length 3', { codeLength: 3 }),
  issueCase('Lifetime 0', { lifetimeMinutes: 0 }),
  issueCase('template without {code}', { messageTemplate: 'Your login code' }),
  issueCase('template with {{code}}', { messageTemplate: 'Code: {{code}}' }),
  issueCase('Allowed Countries Atlantis', { limits: { allowedCountries: 'Atlantis' } }),
  issueCase('Server Signing Key short', { stateStore: 'redis' }, otp({ otpSettings: { serverKey: 'tooshort42' }, redis: REDIS_DOWN })),
  issueCase('Redis down', { stateStore: 'redis' }, otp({ redis: REDIS_DOWN })),
  issueCase('SMPP credential wrong password', {}, (s) => ({ ...otp()(s), smppApi: { ...sandboxSmppCredential(s), password: 'Wr0ngPw!' } })),
  issueCase(
    'enrol, User ID 300 characters',
    { operation: 'enrolAuthenticator', userId: 'u'.repeat(300), accountName: 'a@example.com', issuer: 'ACME' },
    otp({ smpp: false }),
  ),
  issueCase(
    'enrol, User ID empty',
    { operation: 'enrolAuthenticator', userId: '={{ "" }}', accountName: 'a@example.com', issuer: 'ACME' },
    otp({ smpp: false }),
  ),
  issueCase(
    'enrol, Account Name too long',
    { operation: 'enrolAuthenticator', userId: 'user-1', accountName: 'a'.repeat(300), issuer: 'ACME' },
    otp({ smpp: false }),
  ),
  issueCase('national number, Default Country unknown', { phoneNumber: '0151 12345678', messageOptions: { defaultCountry: 'XX' } }),
  issueCase('message not GSM-7', { messageTemplate: 'Code {code} 🌊', messageOptions: { encoding: 'gsm7' } }),
  // OTP Verify.
  verifyCase('Code with a letter', { code: '12a456' }),
  verifyCase('Code empty', { code: '' }),
  verifyCase('Phone Number empty', { phone: '' }),
  verifyCase('authenticator, User ID empty', { userId: '' }, { operation: 'verifyAuthenticatorCode' }),
  verifyCase('authenticator, drift 11', {}, { operation: 'verifyAuthenticatorCode', totpOptions: { window: 11 } }),
  verifyCase('authenticator v1, Secret not Base32', { secret: 'not-base32!' }, { operation: 'verifyAuthenticatorCode' }, { typeVersion: 1 }),
  verifyCase('Redis down', {}, { stateStore: 'redis' }, { credentials: otp({ smpp: false, redis: REDIS_DOWN }) }),
  // SMS Trigger.
  triggerCase('regular expression', { keywordMatch: 'regex', keywordRegex: '([a-z' }),
  triggerCase('no events', { events: [] }),
  triggerCase('reassembly timeout -1', { options: { reassemblyTimeoutSeconds: -1 } }),
  triggerCase('exact keywords, none given', { keywordMatch: 'exact', keywords: ' , ' }),
  triggerCase('Default Country unknown', { options: { defaultCountry: 'XX' } }),
  triggerCase('Bind Mode transmitter', {}, trigger({ carrier: { bindMode: 'transmitter' } })),
  triggerCase('carrier port refused', {}, trigger({ carrier: { port: REFUSED_PORT } })),
  triggerCase('carrier TPS negative', {}, trigger({ carrier: { tps: -1 } })),
  triggerCase('server Port 70000', { source: 'server', host: '127.0.0.1', port: 70000 }),
  triggerCase('server password empty', { source: 'server', host: '127.0.0.1', port: 0 }, trigger({ server: { password: '' } })),
  triggerCase('server lockout 0', { source: 'server', host: '127.0.0.1', port: 0 }, trigger({ server: { maxFailedBinds: 0 } })),
  triggerCase('modem Device Path empty', { source: 'modem' }),
];

/** Ports the tests picked change per run; 1 (refused) and Redis's 6379 stay. */
function portless(text: string): string {
  return text.replace(/127\.0\.0\.([12]):(?!6379\b)(?!1\b)\d{2,5}/g, '127.0.0.$1:<port>').replace(/\(\d+ ms\)|within \d+ ms/g, '<ms>');
}

/** The fields of an item or error context users act on; ids and timings left out (they differ per run). */
const SHOWN = new Set([
  'status',
  'error',
  'field',
  'failure',
  'retryElsewhere',
  'to',
  'refused',
  'reason',
  'problems',
  'invalid',
  'accepted',
  'failed',
  'credential',
  'note',
  'retryAfterSeconds',
  'row',
  'details',
  'message',
  'description',
  'itemIndex',
  'valid',
  'action',
  'type',
]);

function shown(value: unknown): unknown {
  if (typeof value === 'string') return portless(value);
  if (Array.isArray(value)) return value.map(shown);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => SHOWN.has(key))
      .map(([key, v]) => [key, shown(v)]),
  );
}

function portlessDeep(value: unknown): unknown {
  if (typeof value === 'string') return portless(value);
  if (Array.isArray(value)) return value.map(portlessDeep);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, portlessDeep(v)]));
}

/** The thrown error as n8n keeps it: class, words, level, and its context (a stopped broadcast's summary by its keys only). */
function errorShown(error: HarnessError | undefined): unknown {
  if (!error) return undefined;
  const original = error.original as { context?: IDataObject; httpCode?: unknown; level?: unknown; errorResponse?: unknown; messages?: unknown };
  const context = original?.context
    ? Object.fromEntries(Object.entries(original.context).map(([k, v]) => [k, k === 'summary' ? Object.keys(v as object).sort() : v]))
    : undefined;
  return portlessDeep({
    className: error.name,
    message: error.message,
    description: error.description,
    itemIndex: error.itemIndex,
    level: original?.level,
    httpCode: original?.httpCode,
    messages: original?.messages,
    context,
    errorResponse: original?.errorResponse,
  });
}

function surface(run: HarnessRun, node: string): unknown {
  const outputs = run.ran(node) ? run.outputs(node).map((items) => items.map((item) => shown(item.json))) : [];
  return { status: run.status, error: errorShown(run.error), nodeError: run.ran(node) ? errorShown(run.nodeError(node)) : undefined, outputs };
}

describe('what users see of bad input (snapshot taken before the error model was unified)', () => {
  let smsc: SandboxSmsc;
  beforeAll(async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    process.env.SMS_GATEWAY_LISTENER_IDLE_CLOSE_MS = '0';
    smsc = await startSandbox();
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await closeAllSmppServers();
  });
  afterAll(async () => {
    await closeSharedRedisClients();
    await smsc.stop();
  });

  const run = (c: Case, mode: Mode): Promise<HarnessRun> => {
    const node = 'Node';
    const allNodeTypes = { ...nodeTypes, ...otpNodeTypes, ...triggerNodeTypes, [TEXT_TO_BINARY_TYPE]: new TextToBinaryNode() };
    const data = c.credentials(smsc);
    const refs = Object.fromEntries(Object.keys(data).map((type) => [type, { id: `cred-${type}`, name: type }]));
    return runWorkflow({
      nodes: [
        ...(c.withFile ? [{ name: 'To File', type: TEXT_TO_BINARY_TYPE, parameters: {} }] : []),
        {
          name: node,
          type: c.type,
          typeVersion: c.typeVersion,
          parameters: c.parameters,
          credentials: refs,
          ...(mode === 'continueOnFail' ? { continueOnFail: true } : mode === 'errorOutput' ? { onError: 'continueErrorOutput' as const } : {}),
        },
      ],
      connections: c.trigger ? chain(node) : c.withFile ? chain('Start', 'To File', node) : chain('Start', node),
      nodeTypes: allNodeTypes,
      credentials: data,
      credentialTypes: [...credentialTypes, ...otpCredentialTypes, ...triggerCredentialTypes],
      inputItems: c.trigger ? undefined : (c.items ?? [{}]),
    });
  };

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s',
    async (_name, c) => {
      const modes: Mode[] = c.trigger ? ['stop'] : ['stop', 'continueOnFail', 'errorOutput'];
      const seen: Record<string, unknown> = {};
      for (const mode of modes) seen[mode] = surface(await run(c, mode), 'Node');
      expect(seen).toMatchSnapshot();
    },
    60_000,
  );
});
