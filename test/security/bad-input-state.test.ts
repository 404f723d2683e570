/**
 * Bad input table, part 2: Bulk Alert Broadcast, OTP Issue, OTP Verify, and the Redis that
 * queue mode needs (state stores and the shared TPS limit), run through n8n's engine against
 * the sandbox SMSC. Every case must answer within a deadline with a message that names the
 * field and the problem. "Redis down" is 127.0.0.1:1, where nothing listens.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { chain, runWorkflow, testCredential } from '../harness/n8n-harness';
import type { HarnessRun } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { closeSharedRedisClients } from '../../nodes/shared/state/redis-connection';
import { startSandbox } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';
import { ISSUE, runIssue, runVerify, SIGNING_KEY, VERIFY } from '../fixtures/otp/otp-node-runs';
import { recordSection, within } from '../reliability/support/bad-input-table';
import type { ObservedRow } from '../reliability/support/bad-input-table';
import { REFUSED_PORT } from '../reliability/support/silent-server';
import { createRedisTestUser } from '../reliability/support/redis-test-user';

const BROADCAST = 'n8n-nodes-sms-gateway.bulkAlertBroadcast';
const SEND = 'n8n-nodes-sms-gateway.sendSms';
const DEADLINE_MS = 15_000;
const REDIS_DOWN = { host: '127.0.0.1', port: REFUSED_PORT, keyPrefix: 'bad-input:' };
const OTP_SETTINGS = { serverKey: SIGNING_KEY, defaultCountry: 'DE', appName: 'ACME' };
const PHONE = '+4915112345678';
/** Says which Redis, from which credential, and why in words (not ioredis's retry-option jargon). */
const REDIS_DOWN_MESSAGE = /^Cannot reach Redis at 127\.0\.0\.1:1 \(SMS Gateway Redis credential\): connection refused/;

interface NodeCase {
  component: string;
  field: string;
  badValue: string;
  /** Node name in the workflow the case runs. */
  node: string;
  run: (smsc: SandboxSmsc) => Promise<HarnessRun>;
  expected: RegExp;
  /** What the message or n8n's description must name. */
  names: RegExp;
  fix: string;
}

const broadcast = (
  smsc: SandboxSmsc,
  parameters: IDataObject,
  items: IDataObject[] = [{ phone: '+447911123001' }],
  extra: { credential?: IDataObject; redis?: IDataObject } = {},
) =>
  runWorkflow({
    nodes: [
      {
        name: 'Broadcast',
        type: BROADCAST,
        credentials: { ...smppCredentialRef, smsGatewayRedisApi: { id: 'cred-redis', name: 'Redis' } },
        parameters: { recipientSource: 'items', recipientField: 'phone', messageSource: 'text', message: 'Boil water notice', ...parameters },
      },
    ],
    connections: chain('Start', 'Broadcast'),
    nodeTypes,
    credentials: {
      smppApi: smppCredential(smsc, extra.credential),
      smsGatewayRedisApi: { host: '127.0.0.1', port: 6379, keyPrefix: 'bad-input:', ...extra.redis },
    },
    credentialTypes,
    inputItems: items,
  });

const sendSms = (smsc: SandboxSmsc, credential: IDataObject) =>
  runWorkflow({
    nodes: [{ name: 'Send SMS', type: SEND, credentials: smppCredentialRef, parameters: { to: '+447911123001', message: 'hello' } }],
    connections: chain('Start', 'Send SMS'),
    nodeTypes,
    credentials: { smppApi: smppCredential(smsc, credential) },
    credentialTypes,
    inputItems: [{}],
  });

const issue = (
  smsc: SandboxSmsc,
  parameters: IDataObject,
  extra: { redis?: ICredentialDataDecryptedObject; otpSettings?: ICredentialDataDecryptedObject } = {},
) => runIssue({ phoneNumber: PHONE, appName: 'ACME', ...parameters }, { smsc, otpSettings: extra.otpSettings ?? OTP_SETTINGS, redis: extra.redis });

/** Values come from the item through expressions: n8n itself refuses a literally empty required parameter before the node runs. */
const verify = (
  item: IDataObject,
  extra: { parameters?: IDataObject; redis?: ICredentialDataDecryptedObject; otpSettings?: ICredentialDataDecryptedObject; typeVersion?: number } = {},
) =>
  runVerify(
    {
      operation: 'verifySmsCode',
      phoneNumber: '={{ $json.phone }}',
      code: '={{ $json.code }}',
      secret: '={{ $json.secret }}',
      userId: '={{ $json.userId }}',
      ...extra.parameters,
    },
    {
      otpSettings: extra.otpSettings ?? OTP_SETTINGS,
      redis: extra.redis,
      typeVersion: extra.typeVersion,
      inputItems: [{ phone: PHONE, code: '123456', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', userId: 'user-1', ...item }],
    },
  );
const TOTP = { operation: 'verifyAuthenticatorCode' };
/** Authenticator checks as saved with OTP Verify version 1 (the secret passed in). */
const totpV1 = (item: IDataObject, parameters: IDataObject = {}) => verify(item, { parameters: { ...TOTP, ...parameters }, typeVersion: 1 });

const cases: NodeCase[] = [
  {
    component: 'Broadcast Alert',
    field: 'CAP Alert XML',
    badValue: '<alert><identifier>x</identifier>',
    node: 'Broadcast',
    run: (s) => broadcast(s, { messageSource: 'cap', capXml: '<alert><identifier>x</identifier>' }),
    expected: /CAP alert is not well-formed XML: .*\(line \d+\)/,
    names: /"CAP Alert XML"/,
    fix: 'Paste the whole CAP 1.2 <alert> document; check the XML is complete',
  },
  {
    component: 'Broadcast Alert',
    field: 'CAP Alert XML',
    badValue: '<alert> without <info>',
    node: 'Broadcast',
    run: (s) => broadcast(s, { messageSource: 'cap', capXml: '<alert><identifier>x</identifier><msgType>Alert</msgType></alert>' }),
    expected: /CAP alert has no <info> block/,
    names: /"CAP Alert XML"/,
    fix: 'The alert needs an <info> block with a headline or instruction',
  },
  {
    component: 'Broadcast Alert',
    field: 'CAP Alert XML',
    badValue: 'not XML at all',
    node: 'Broadcast',
    run: (s) => broadcast(s, { messageSource: 'cap', capXml: 'flood warning!' }),
    expected: /CAP alert (is not well-formed XML|has no <alert> root element)/,
    names: /"CAP Alert XML"/,
    fix: 'Paste a CAP 1.2 XML document, or use Message Source: Text',
  },
  {
    component: 'Broadcast Alert',
    field: 'Message',
    badValue: '(empty)',
    node: 'Broadcast',
    run: (s) => broadcast(s, { message: '' }),
    expected: /Message is empty for item 0/,
    names: /"Message"/,
    fix: 'Write the alert text, or check the expression that fills it',
  },
  {
    component: 'Broadcast Alert',
    field: 'Recipient List',
    badValue: '(empty)',
    node: 'Broadcast',
    run: (s) => broadcast(s, { recipientSource: 'list', recipientList: '  ' }),
    expected: /Recipient List is empty/,
    names: /Recipient List/,
    fix: 'One number per line, or CSV with a "phone" column',
  },
  {
    component: 'Broadcast Alert',
    field: 'State Store: Redis (SMS Gateway Redis credential)',
    badValue: 'Redis down (127.0.0.1:1)',
    node: 'Broadcast',
    run: (s) => broadcast(s, { stateStore: 'redis' }, undefined, { redis: REDIS_DOWN }),
    expected: REDIS_DOWN_MESSAGE,
    names: /Redis credential/,
    fix: 'Start Redis or fix Host/Port in the SMS Gateway Redis credential',
  },
  {
    component: 'Broadcast Alert',
    field: 'SMS Gateway Redis credential: Port',
    badValue: '70000',
    node: 'Broadcast',
    run: (s) => broadcast(s, { stateStore: 'redis' }, undefined, { redis: { port: 70000 } }),
    expected: /Redis credential: Port must be 1-65535 \(got 70000\)/,
    names: /Port/,
    fix: 'Use the Redis port (6379 by default)',
  },
  {
    component: 'Broadcast Alert (SMPP Carrier credential)',
    field: 'Messages per Second (TPS)',
    badValue: '-1',
    node: 'Broadcast',
    run: (s) => broadcast(s, {}, undefined, { credential: { tps: -1 } }),
    expected: /Messages per Second must be 0 \(no limit\) or more \(got -1\)/,
    names: /Messages per Second/,
    fix: "Use 0 for no limit, or your contract's TPS",
  },
  {
    component: 'Send SMS (SMPP Carrier credential saved with a Redis)',
    field: 'Share via Redis (Queue Mode): Redis Port',
    badValue: 'Redis down (127.0.0.1:1)',
    node: 'Send SMS',
    run: (s) => sendSms(s, { tps: 5, useRedis: true, redisHost: '127.0.0.1', redisPort: REFUSED_PORT }),
    expected: /Cannot reach Redis at 127\.0\.0\.1:1 for the shared TPS limit/,
    names: /Redis Host|Redis Port/,
    fix: 'A credential saved before the Redis settings moved: start Redis, or open the credential and save it (the TPS limit is then shared by nodes whose State Store is Redis)',
  },
  {
    component: 'Send SMS (SMPP Carrier credential, no TPS limit)',
    field: 'Share via Redis (Queue Mode): Redis Port',
    badValue: 'Redis down (127.0.0.1:1)',
    node: 'Send SMS',
    run: (s) => sendSms(s, { tps: 0, useRedis: true, redisHost: '127.0.0.1', redisPort: REFUSED_PORT }),
    expected: /Cannot reach Redis at 127\.0\.0\.1:1 for the shared delivery receipts/,
    names: /Redis Host|Redis Port/,
    fix: "A credential saved before the Redis settings moved: start Redis at the host and port the message names (those settings are no longer on the credential's panel)",
  },
  {
    component: 'Issue OTP',
    field: 'Phone Number',
    badValue: '12',
    node: ISSUE,
    run: (s) => issue(s, { phoneNumber: '12' }),
    expected: /"12" is not a valid phone number/,
    names: /"Phone Number"/,
    fix: 'International format, e.g. +4915112345678',
  },
  {
    component: 'Issue OTP',
    field: 'Code Length',
    badValue: '3',
    node: ISSUE,
    run: (s) => issue(s, { codeLength: 3 }),
    expected: /Code Length must be a whole number from 4 to 10 \(got 3\)/,
    names: /Code Length/,
    fix: 'Use 4 to 10 digits (6 is usual)',
  },
  {
    component: 'Issue OTP',
    field: 'Lifetime (Minutes)',
    badValue: '0',
    node: ISSUE,
    run: (s) => issue(s, { lifetimeMinutes: 0 }),
    expected: /Lifetime \(Minutes\) must be a whole number from 1 to 1440 \(got 0\)/,
    names: /Lifetime/,
    fix: 'Use 1 to 1440 minutes',
  },
  {
    component: 'Issue OTP',
    field: 'Message Template',
    badValue: 'Your login code',
    node: ISSUE,
    run: (s) => issue(s, { messageTemplate: 'Your login code' }),
    expected: /Message Template has no \{code\} placeholder/,
    names: /Message Template/,
    fix: 'Put {code} where the code goes',
  },
  {
    component: 'Issue OTP',
    field: 'Message Template',
    badValue: 'Code: {{code}}',
    node: ISSUE,
    run: (s) => issue(s, { messageTemplate: 'Code: {{code}}' }),
    expected: /Message Template: write the placeholder as \{code\} \(single braces\)/,
    names: /Message Template/,
    fix: 'Write {code} with single braces',
  },
  {
    component: 'Issue OTP',
    field: 'Limits > Allowed Countries',
    badValue: 'Atlantis',
    node: ISSUE,
    run: (s) => issue(s, { limits: { allowedCountries: 'Atlantis' } }),
    expected: /Allowed Countries: .*Atlantis/,
    names: /Allowed Countries/,
    fix: 'ISO codes or calling codes, e.g. DE, AT, +41',
  },
  {
    component: 'Issue OTP',
    field: 'State Store: Redis (SMS Gateway Redis credential)',
    badValue: 'Redis down (127.0.0.1:1)',
    node: ISSUE,
    run: (s) => issue(s, { stateStore: 'redis' }, { redis: REDIS_DOWN }),
    expected: REDIS_DOWN_MESSAGE,
    names: /Redis credential/,
    fix: 'Start Redis or fix Host/Port in the SMS Gateway Redis credential',
  },
  {
    component: 'Issue OTP (SMS OTP Settings credential)',
    field: 'Server Signing Key',
    badValue: '10 characters',
    node: ISSUE,
    run: (s) => issue(s, { stateStore: 'redis' }, { otpSettings: { serverKey: 'tooshort42' }, redis: REDIS_DOWN }),
    expected: /Server Signing Key must be at least 16 characters \(it has 10\)/,
    names: /Server Signing Key/,
    fix: 'Generate one with: openssl rand -hex 32',
  },
  {
    component: 'Verify OTP',
    field: 'Code',
    badValue: '12a456',
    node: VERIFY,
    run: () => verify({ code: '12a456' }),
    expected: /Code must contain digits only/,
    names: /"Code"/,
    fix: 'Map the digits the user typed',
  },
  {
    component: 'Verify OTP',
    field: 'Code',
    badValue: '(empty)',
    node: VERIFY,
    run: () => verify({ code: '' }),
    expected: /Code is empty/,
    names: /"Code"/,
    fix: 'Map the code the user entered, e.g. {{ $json.code }}',
  },
  {
    component: 'Verify OTP',
    field: 'Phone Number',
    badValue: '(empty)',
    node: VERIFY,
    run: () => verify({ phone: '' }),
    expected: /Phone Number is empty/,
    names: /phoneNumber|Phone Number/,
    fix: 'Map the same number OTP Issue used',
  },
  {
    component: 'Verify OTP',
    field: 'State Store: Redis (SMS Gateway Redis credential)',
    badValue: 'Redis down (127.0.0.1:1)',
    node: VERIFY,
    run: () => verify({}, { parameters: { stateStore: 'redis' }, redis: REDIS_DOWN }),
    expected: REDIS_DOWN_MESSAGE,
    names: /Redis credential/,
    fix: 'Start Redis or fix Host/Port in the SMS Gateway Redis credential',
  },
  {
    component: 'Verify OTP (authenticator)',
    field: 'User ID',
    badValue: '(empty)',
    node: VERIFY,
    run: () => verify({ userId: '' }, { parameters: TOTP }),
    expected: /^User ID is empty/,
    names: /User ID|userId/,
    fix: 'Map the User ID OTP Issue enrolled',
  },
  {
    component: 'Verify OTP (authenticator)',
    field: 'Options > Allowed Clock Drift (Steps)',
    badValue: '11',
    node: VERIFY,
    run: () => verify({}, { parameters: { ...TOTP, totpOptions: { window: 11 } } }),
    expected: /Allowed Clock Drift \(Steps\) must be a whole number from 0 to 10 \(got 11\)/,
    names: /Clock Drift/,
    fix: 'Use 0 to 10 (1 is usual)',
  },
  {
    component: 'Verify OTP (authenticator)',
    field: 'Options > Max Wrong Codes',
    badValue: '0',
    node: VERIFY,
    run: () => verify({}, { parameters: { ...TOTP, totpOptions: { maxFailures: 0 } } }),
    expected: /^Max Wrong Codes must be a whole number from 1 to 100 \(got 0\)/,
    names: /Max Wrong Codes/,
    fix: 'Use 1 to 100 (5 is the default)',
  },
  {
    component: 'Verify OTP (authenticator)',
    field: 'State Store: Redis (SMS Gateway Redis credential)',
    badValue: 'Redis down (127.0.0.1:1)',
    node: VERIFY,
    run: () => verify({}, { parameters: { ...TOTP, stateStore: 'redis' }, redis: REDIS_DOWN }),
    expected: REDIS_DOWN_MESSAGE,
    names: /Redis credential/,
    fix: 'Start Redis or fix Host/Port in the SMS Gateway Redis credential',
  },
  {
    component: 'Issue OTP (enrol authenticator)',
    field: 'User ID',
    badValue: '300 characters',
    node: ISSUE,
    run: () => runIssue({ operation: 'enrolAuthenticator', userId: 'u'.repeat(300), accountName: 'a@example.com', issuer: 'ACME' }, {}),
    expected: /^User ID must be at most 256 characters, got 300$/,
    names: /"User ID"/,
    fix: 'Map a shorter identifier of the user (at most 256 characters)',
  },
  {
    component: 'Issue OTP (enrol authenticator)',
    field: 'User ID',
    badValue: '(empty)',
    node: ISSUE,
    run: () => runIssue({ operation: 'enrolAuthenticator', userId: '={{ "" }}', accountName: 'a@example.com', issuer: 'ACME' }, {}),
    expected: /^User ID is empty/,
    names: /User ID|userId/,
    fix: 'Map your identifier of the user (one that does not change)',
  },
  {
    component: 'Verify OTP (authenticator, version 1)',
    field: 'Secret',
    badValue: '(empty)',
    node: VERIFY,
    run: () => totpV1({ secret: '' }),
    expected: /Secret is empty/,
    names: /Secret|secret/,
    fix: 'Map the Base32 secret stored at enrolment',
  },
  {
    component: 'Verify OTP (authenticator, version 1)',
    field: 'Secret',
    badValue: 'not-base32!',
    node: VERIFY,
    run: () => totpV1({ secret: 'not-base32!' }),
    expected: /^Secret must be the Base32 secret returned at enrolment/,
    names: /"Secret"/,
    fix: 'Map the Base32 secret stored at enrolment',
  },
  {
    component: 'Verify OTP (authenticator, version 1)',
    field: 'Options > Allowed Clock Drift (Steps)',
    badValue: '11',
    node: VERIFY,
    run: () => totpV1({}, { totpOptions: { window: 11 } }),
    expected: /Allowed Clock Drift \(Steps\) must be a whole number from 0 to 10 \(got 11\)/,
    names: /Clock Drift/,
    fix: 'Use 0 to 10 (1 is usual)',
  },
];

describe('bad input: Bulk Alert Broadcast, OTP nodes and Redis', () => {
  let smsc: SandboxSmsc;
  const rows: ObservedRow[] = [];

  beforeAll(async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    smsc = await startSandbox();
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    smsc.store.clear();
  });
  afterAll(async () => {
    await recordSection('Broadcast Alert, OTP and Redis', rows);
    await closeSharedRedisClients();
    await smsc.stop();
  });

  it.each(cases.map((c) => [`${c.component}: ${c.field} = ${c.badValue}`, c] as const))(
    '%s',
    async (_name, c) => {
      const run = await within(DEADLINE_MS, `${c.component} ${c.field}`, c.run(smsc));
      expect(run.status).toBe('error');
      expect(run.error?.node).toBe(c.node);
      expect(run.error?.message).toMatch(c.expected);
      expect(`${run.error?.message} ${run.error?.description ?? ''}`).toMatch(c.names);
      expect(run.error?.message).not.toMatch(/^\s*at |\n\s+at /); // a message, not a stack trace
      expect(smsc.store.list()).toHaveLength(0);
      rows.push({
        component: c.component,
        field: c.field,
        badValue: c.badValue,
        message: run.error!.message,
        description: run.error?.description,
        expected: c.expected.source,
        fix: c.fix,
      });
    },
    30_000,
  );

  it('Bulk Alert Broadcast: invalid numbers are listed in the summary while the valid ones are sent', async () => {
    const items = [{ phone: '+447911123001' }, { phone: 'not a number' }, { phone: '+99 123' }, { phone: '+447911123004' }];
    const run = await within(DEADLINE_MS, 'broadcast with invalid numbers', broadcast(smsc, { broadcastId: `bad-input-${Date.now()}` }, items));
    expect(run.status).toBe('success');
    const [summary] = run.items('Broadcast');
    expect(summary).toMatchObject({ accepted: 2, invalid: 2, failed: 0 });
    expect(summary.problems).toEqual([
      {
        to: 'not a number',
        status: 'invalid',
        error: expect.stringMatching(/"not a number" is not a valid phone number/),
        failure: 'invalid',
        retryElsewhere: false,
      },
      { to: '+99 123', status: 'invalid', error: expect.stringMatching(/"\+99 123" is not a valid phone number/), failure: 'invalid', retryElsewhere: false },
    ]);
    expect(
      smsc.store
        .list()
        .map((m) => m.to)
        .sort(),
    ).toEqual(['447911123001', '447911123004']);
    const problems = summary.problems as IDataObject[];
    rows.push({
      component: 'Broadcast Alert',
      field: 'Phone Number Field (per recipient)',
      badValue: 'not a number',
      message: String(problems[0].error),
      description: 'listed under "problems" in the summary; the other recipients are sent',
      expected: 'is not a valid phone number',
      fix: 'Fix the number in the source data; re-run with the same Broadcast ID to send only the missing ones',
    });
  });

  it('SMS Gateway Redis credential: after a wrong password is corrected, the next run uses the new one', async () => {
    const user = await createRedisTestUser('bad-input');
    const credential = { user: user.user, keyPrefix: user.keyPrefix };
    try {
      const wrong = await within(
        DEADLINE_MS,
        'wrong Redis password',
        broadcast(smsc, { stateStore: 'redis' }, undefined, { redis: { ...credential, password: 'not-the-password-1' } }),
      );
      expect(wrong.error?.message).toMatch(/^Cannot reach Redis at 127\.0\.0\.1:6379 \(SMS Gateway Redis credential\): WRONGPASS/);
      expect(wrong.error?.message).not.toContain('not-the-password-1');
      expect(wrong.error?.description).toBe('Check "Password" in the SMS Gateway Redis credential');
      const fixed = await within(
        DEADLINE_MS,
        'corrected Redis password',
        broadcast(smsc, { stateStore: 'redis', broadcastId: `fixed-${Date.now()}` }, undefined, { redis: { ...credential, password: user.password } }),
      );
      expect(fixed.error?.message).toBeUndefined();
      expect(fixed.items('Broadcast')[0]).toMatchObject({ accepted: 1 });
      rows.push({
        component: 'Broadcast Alert',
        field: 'SMS Gateway Redis credential: Password',
        badValue: 'wrong password',
        message: wrong.error!.message,
        description: wrong.error?.description,
        expected: 'WRONGPASS',
        fix: 'Re-enter the Redis password (and User for an ACL user)',
      });
    } finally {
      await closeSharedRedisClients();
      await user.remove();
    }
  });

  it('SMS Gateway Redis credential test: Redis down, a bad port and a wrong password each answer in words, without the password', async () => {
    const user = await createRedisTestUser('bad-input-test');
    const tests: Array<{ badValue: string; field: string; data: ICredentialDataDecryptedObject; expected: RegExp; fix: string }> = [
      {
        field: 'Host/Port',
        badValue: 'Redis down (127.0.0.1:1)',
        data: REDIS_DOWN,
        expected: /^Cannot reach Redis at 127\.0\.0\.1:1: connection refused \(is Redis running on that port\?\)$/,
        fix: 'Start Redis, or fix Host and Port',
      },
      {
        field: 'Port',
        badValue: '70000',
        data: { host: '127.0.0.1', port: 70000 },
        expected: /Port must be 1-65535 \(got 70000\)/,
        fix: 'Use the Redis port (6379 by default)',
      },
      {
        field: 'Password',
        badValue: 'wrong password (ACL user)',
        data: { host: '127.0.0.1', port: 6379, user: user.user, password: 'not-the-password-2' },
        expected: /^Cannot reach Redis at 127\.0\.0\.1:6379: WRONGPASS/,
        fix: 'Re-enter the password (and User for an ACL user)',
      },
    ];
    try {
      for (const t of tests) {
        const result = await within(
          DEADLINE_MS,
          `Redis credential test ${t.field}`,
          testCredential({ nodeTypes, credentialType: 'smsGatewayRedisApi', data: t.data, credentialTypes }),
        );
        expect(result.status).toBe('Error');
        expect(result.message).toMatch(t.expected);
        expect(result.message).not.toContain('not-the-password-2');
        rows.push({
          component: 'SMS Gateway Redis credential: Test',
          field: t.field,
          badValue: t.badValue,
          message: result.message,
          expected: t.expected.source,
          fix: t.fix,
        });
      }
      const ok = await testCredential({
        nodeTypes,
        credentialType: 'smsGatewayRedisApi',
        data: { host: '127.0.0.1', port: 6379, user: user.user, password: user.password },
        credentialTypes,
      });
      expect(ok).toEqual({ status: 'OK', message: 'Connected to Redis at 127.0.0.1:6379, database 0' });
    } finally {
      await user.remove();
    }
  });

  it('OTP Issue with continueOnFail: a bad number becomes an error item, the other items get their codes', async () => {
    const inputItems = [{ phone: '+4915112345001' }, { phone: '12' }, { phone: '+4915112345003' }];
    const run = await within(
      DEADLINE_MS,
      'OTP Issue continueOnFail',
      runIssue({ phoneNumber: '={{ $json.phone }}', appName: 'ACME' }, { smsc, otpSettings: OTP_SETTINGS, continueOnFail: true, inputItems }),
    );
    expect(run.status).toBe('success');
    const out = run.items(ISSUE);
    expect(out.map((i) => i.status)).toEqual(['pending', 'error', 'pending']);
    expect(out[1]).toMatchObject({ to: '12', field: 'phoneNumber', error: expect.stringMatching(/"12" is not a valid phone number/) });
    expect(
      smsc.store
        .list()
        .map((m) => m.to)
        .sort(),
    ).toEqual(['4915112345001', '4915112345003']);
  });

  it('OTP Verify with continueOnFail: a malformed code goes to Rejected with the reason, the others are checked', async () => {
    const inputItems = [{ code: '123456' }, { code: 'abc' }, { code: '654321' }];
    const run = await within(
      DEADLINE_MS,
      'OTP Verify continueOnFail',
      runVerify({ operation: 'verifySmsCode', phoneNumber: '+4915112345009', code: '={{ $json.code }}' }, { continueOnFail: true, inputItems }),
    );
    expect(run.status).toBe('success');
    const rejected = run.items(VERIFY, 1);
    expect(rejected).toHaveLength(3);
    expect(rejected[1]).toMatchObject({ status: 'error', field: 'code', error: expect.stringMatching(/Code must contain digits only/) });
    expect(rejected.filter((i) => i.reason === 'not_found')).toHaveLength(2);
  });
});
