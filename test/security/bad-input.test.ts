/**
 * Bad input table, part 1: the Send SMS node and the SMPP Carrier credential, run through
 * n8n's engine against the sandbox SMSC over TCP. Every bad value must end in a clear message
 * naming the field and the problem, within a deadline (never a hang); with continueOnFail the
 * good items still go out. What users see is recorded into test-output/bad-input-table.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import { chain, runWorkflow, testCredential } from '../harness/n8n-harness';
import type { HarnessRun } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';
import { recordSection, within } from '../reliability/support/bad-input-table';
import type { ObservedRow } from '../reliability/support/bad-input-table';
import { REFUSED_PORT, startSilentServer } from '../reliability/support/silent-server';
import type { SilentServer } from '../reliability/support/silent-server';

const SEND = 'n8n-nodes-sms-gateway.sendSms';
const GOOD_A = { to: '+447911123001', text: 'first', from: 'CITYALERT' };
const GOOD_B = { to: '+447911123003', text: 'third', from: 'CITYALERT' };
/** Longest a bad value may take to answer; the slowest (a silent server) needs the 10 s bind timeout. */
const DEADLINE_MS = 15_000;

/** A bad value in one item: the other two items are good. */
interface ItemCase {
  field: string;
  /** The parameter name the error must point at. */
  key: string;
  badValue: string;
  item: IDataObject;
  options?: IDataObject;
  expected: RegExp;
  fix: string;
}

// Option rows take their bad value from the item through an expression, so only item 1 is bad.
const itemCases: ItemCase[] = [
  {
    field: 'To',
    key: 'to',
    badValue: '+99 123',
    item: { to: '+99 123' },
    expected: /"\+99 123" is not a valid phone number: .*country/i,
    fix: 'Use international format with a real country code, e.g. +447400123456',
  },
  {
    field: 'To',
    key: 'to',
    badValue: 'call me',
    item: { to: 'call me' },
    expected: /"call me" is not a valid phone number/,
    fix: 'Map the field that holds the phone number',
  },
  { field: 'To', key: 'to', badValue: '(empty)', item: { to: '' }, expected: /To is empty/, fix: 'Map a phone number into To' },
  {
    field: 'Message',
    key: 'message',
    badValue: '(empty)',
    item: { text: '' },
    expected: /The message is empty/,
    fix: 'Write the text, or check the expression that fills it',
  },
  {
    field: 'Message (with Max Parts 2)',
    key: 'message',
    badValue: '400 characters',
    item: { text: 'y'.repeat(400) },
    options: { maxParts: 2 },
    expected: /^The message has 3 parts; the limit is 2 \(Max Parts\)$/,
    fix: 'Shorten the text or raise Max Parts (each part is billed)',
  },
  {
    field: 'Message (Encoding: GSM-7 Only)',
    key: 'message',
    badValue: 'Flood 🌊 warning',
    item: { text: 'Flood 🌊 warning' },
    options: { encoding: 'gsm7' },
    expected: /cannot be encoded as GSM-7: "🌊" \(U\+1F30A\) is not in its character set/,
    fix: 'Remove the character, or use Automatic or UCS-2 encoding',
  },
  {
    field: 'From',
    key: 'from',
    badValue: 'ABCDEFGHIJKL (12 characters)',
    item: { from: 'ABCDEFGHIJKL' },
    expected: /"ABCDEFGHIJKL" is not a valid sender: .*11/,
    fix: 'Alphanumeric sender IDs have at most 11 characters',
  },
  {
    field: 'Options > Validity Period (Minutes)',
    key: 'validityMinutes',
    badValue: '-5',
    item: { validity: -5 },
    options: { validityMinutes: '={{ $json.validity ?? 0 }}' },
    expected: /Validity Period must be 0 or more minutes \(got -5\)/,
    fix: 'Use 0 (carrier default) or a positive number of minutes',
  },
  {
    field: 'Options > Scheduled Delivery Time',
    key: 'scheduleAt',
    badValue: 'next tuesday-ish',
    item: { when: 'next tuesday-ish' },
    options: { scheduleAt: '={{ $json.when ?? "" }}' },
    expected: /Scheduled Delivery Time "next tuesday-ish" is not a date/,
    fix: 'Give an ISO date-time, e.g. 2026-05-01T09:00:00Z',
  },
];

/** A bad credential value: the node run and the credential's Test button must both say what is wrong. */
interface CredentialCase {
  field: string;
  badValue: string;
  credential: (context: { smsc: SandboxSmsc; silent: SilentServer; tlsSmsc: SandboxSmsc; tlsElsewhere: SandboxSmsc }) => IDataObject;
  expected: RegExp;
  /** What the node's message or description must name (the field, or the host:port it tried). */
  names: RegExp;
  /**
   * With continueOnFail: a connection problem becomes an error item per recipient; a value the
   * node refuses before connecting is thrown, and n8n 2.40 then passes the input items through
   * unchanged with the error on the node (see the report: the two paths differ).
   */
  continued: 'error items' | 'node error';
  fix: string;
}

const credentialCases: CredentialCase[] = [
  {
    field: 'Host',
    badValue: '(empty)',
    credential: () => ({ host: '' }),
    expected: /Host is empty/,
    names: /Host/,
    continued: 'node error',
    fix: "Enter the carrier's SMPP host name or IP address",
  },
  {
    field: 'Port',
    badValue: '70000',
    credential: () => ({ port: 70000 }),
    expected: /Port must be 1-65535 \(got 70000\)/,
    names: /Port/,
    continued: 'node error',
    fix: 'Use the port the carrier gave you (usually 2775, or 3550 for TLS)',
  },
  {
    field: 'System ID',
    badValue: '16 characters',
    credential: () => ({ systemId: 'a-much-too-long-id'.slice(0, 16) }),
    expected: /System ID is 16 characters; SMPP allows 15/,
    names: /System ID/,
    continued: 'node error',
    fix: 'Use the system_id the carrier gave you (at most 15 characters)',
  },
  {
    field: 'Messages per Second (TPS)',
    badValue: '-1',
    credential: () => ({ tps: -1 }),
    expected: /Messages per Second must be 0 \(no limit\) or more \(got -1\)/,
    names: /Messages per Second/,
    continued: 'node error',
    fix: "Use 0 for no limit, or your contract's TPS",
  },
  {
    field: 'Messages per Second (TPS)',
    badValue: '2.5',
    credential: () => ({ tps: 2.5 }),
    expected: /Messages per Second must be a whole number, 0 \(no limit\) or 1 or more \(got 2\.5\)/,
    names: /Messages per Second/,
    continued: 'node error',
    fix: 'Use a whole number: the limit counts whole messages per second',
  },
  {
    field: 'Window Size',
    badValue: '0',
    credential: () => ({ windowSize: 0 }),
    expected: /Window Size must be a whole number of at least 1 \(got 0\)/,
    names: /Window Size/,
    continued: 'node error',
    fix: 'Use 1 or more (10 is a safe start)',
  },
  {
    field: 'Binds',
    badValue: '0',
    credential: () => ({ binds: 0 }),
    expected: /Binds must be a whole number from 1 to 32 \(got 0\)/,
    names: /Binds/,
    continued: 'node error',
    fix: 'Use 1, or the binds your carrier allows per n8n process',
  },
  {
    field: 'Binds',
    badValue: '33',
    credential: () => ({ binds: 33 }),
    expected: /Binds must be a whole number from 1 to 32 \(got 33\)/,
    names: /Binds/,
    continued: 'node error',
    fix: 'Use at most 32; carriers allow a few binds per account',
  },
  {
    field: 'Max Binds Across Processes',
    badValue: '-1',
    credential: () => ({ maxBindsAcrossProcesses: -1 }),
    expected: /Max Binds Across Processes must be a whole number, 0 \(no cap\) or more \(got -1\)/,
    names: /Max Binds Across Processes/,
    continued: 'node error',
    fix: 'Use 0 for no cap, or the binds your carrier allows for the account',
  },
  {
    field: 'Response Timeout (Seconds)',
    badValue: '0',
    credential: () => ({ responseTimeoutSeconds: 0 }),
    expected: /Response Timeout must be more than 0 \(got 0\)/,
    names: /Response Timeout/,
    continued: 'node error',
    fix: 'Use a few seconds (10 is the default)',
  },
  {
    field: 'Port (nothing listening)',
    badValue: `127.0.0.1:${REFUSED_PORT}`,
    credential: () => ({ port: REFUSED_PORT }),
    expected: /connection refused by 127\.0\.0\.1:1 \(nothing listening on that port\?\)/,
    names: /port/i,
    continued: 'error items',
    fix: "Check host and port; is the carrier's SMPP service reachable from the n8n machine?",
  },
  {
    field: 'Host/Port (accepts, never answers)',
    badValue: 'silent local server',
    credential: ({ silent }) => ({ port: silent.port, responseTimeoutSeconds: 2 }),
    expected: /did not answer the bind_transceiver within \d+ ms \(is it a TLS port\? then turn TLS on\)/,
    names: /127\.0\.0\.1:\d+/,
    continued: 'error items',
    fix: 'A firewall or a TLS-only port: check TLS, host and port with the carrier',
  },
  {
    field: 'TLS (on, but the port is plain)',
    badValue: 'TLS to a plain SMPP port',
    credential: () => ({ tls: true }),
    expected: /^[^\n]*TLS handshake with 127\.0\.0\.1:\d+ failed: wrong version number \(is the port TLS-enabled\?\)$/,
    names: /TLS/,
    continued: 'error items',
    fix: "Turn TLS off, or use the carrier's TLS port",
  },
  {
    field: 'TLS (off, but the port speaks TLS)',
    badValue: 'plain SMPP to a TLS port',
    credential: ({ tlsSmsc }) => ({ port: tlsSmsc.port }),
    expected: /closed the connection during bind_transceiver: .*\(a TLS-only port closes plain connections\)/,
    names: /TLS/,
    continued: 'error items',
    fix: 'Turn TLS on (and Allow Self-Signed only for servers you trust)',
  },
  {
    field: 'Check Hostname (on), Allow Self-Signed on',
    badValue: 'a certificate for 127.0.0.1 at 127.0.0.2',
    credential: ({ tlsElsewhere }) => ({ host: '127.0.0.2', port: tlsElsewhere.port, tls: true, allowSelfSigned: true }),
    expected:
      /TLS handshake with 127\.0\.0\.2:\d+ failed: IP: 127\.0\.0\.2 is not in the cert's list: 127\.0\.0\.1 \(connect by the name the certificate is for, or turn off "Check Hostname" if you trust this server\)/,
    names: /Check Hostname/,
    continued: 'error items',
    fix: 'Connect by a name the certificate lists; only for a server you trust: turn off Check Hostname',
  },
  {
    field: 'Allow Self-Signed Certificates (off)',
    badValue: 'TLS port with a self-signed certificate',
    credential: ({ tlsSmsc }) => ({ port: tlsSmsc.port, tls: true }),
    expected: /TLS handshake with 127\.0\.0\.1:\d+ failed: self[- ]signed certificate \(turn on "Allow self-signed certificates" if you trust this server\)/,
    names: /self-signed/i,
    continued: 'error items',
    fix: 'Only for a server you trust: turn on Allow Self-Signed Certificates',
  },
  {
    field: 'Password',
    badValue: 'wrong password',
    credential: () => ({ password: 'Wr0ngPw!' }),
    expected: /bind_transceiver as "sandbox" rejected by 127\.0\.0\.1:\d+: ESME_RINVPASWD/,
    names: /password|RINVPASWD/i,
    continued: 'error items',
    fix: 'Re-enter the password the carrier gave you (SMPP 3.4 passwords have at most 8 characters)',
  },
];

describe('bad input: Send SMS node and SMPP Carrier credential', () => {
  let smsc: SandboxSmsc;
  let tlsSmsc: SandboxSmsc;
  let tlsElsewhere: SandboxSmsc;
  let silent: SilentServer;
  const rows: ObservedRow[] = [];

  beforeAll(async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    const fixtures = path.join(__dirname, '../fixtures/tls');
    smsc = await startSandbox();
    tlsSmsc = await startSandbox({
      tls: { key: fs.readFileSync(path.join(fixtures, 'sandbox-key.pem')), cert: fs.readFileSync(path.join(fixtures, 'sandbox-cert.pem')) },
    });
    // The same certificate (for 127.0.0.1 and localhost) served at another address.
    tlsElsewhere = await startSandbox({
      host: '127.0.0.2',
      tls: { key: fs.readFileSync(path.join(fixtures, 'sandbox-key.pem')), cert: fs.readFileSync(path.join(fixtures, 'sandbox-cert.pem')) },
    });
    silent = await startSilentServer();
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    smsc.store.clear();
  });
  afterAll(async () => {
    await recordSection('Send SMS and SMPP Carrier credential', rows);
    await Promise.all([smsc.stop(), tlsSmsc.stop(), tlsElsewhere.stop(), silent.close()]);
  });

  const send = (items: IDataObject[], options: IDataObject = {}, credential: IDataObject = {}, continueOnFail = false): Promise<HarnessRun> =>
    runWorkflow({
      nodes: [
        {
          name: 'Send SMS',
          type: SEND,
          continueOnFail,
          credentials: smppCredentialRef,
          parameters: { to: '={{ $json.to }}', message: '={{ $json.text }}', from: '={{ $json.from }}', options },
        },
      ],
      connections: chain('Start', 'Send SMS'),
      nodeTypes,
      credentials: { smppApi: smppCredential(smsc, credential) },
      credentialTypes,
      inputItems: items,
    });

  it.each(itemCases.map((c) => [`${c.field} = ${c.badValue}`, c] as const))(
    '%s: clear error naming the field; continueOnFail sends the others',
    async (_name, c) => {
      const items = [GOOD_A, { ...GOOD_A, to: '+447911123002', text: 'second', ...c.item }, GOOD_B];
      const stopped = await within(DEADLINE_MS, c.field, send(items, c.options));
      expect(stopped.status).toBe('error');
      expect(stopped.error?.message).toMatch(c.expected);
      expect(stopped.error?.itemIndex).toBe(1);
      // The field by its label on the panel (and the collection it is in), never the internal name.
      const label = c.field.startsWith('Options > ') ? `"${c.field.slice('Options > '.length)}" in Options` : `"${c.field.replace(/ \(.*\)$/, '')}"`;
      expect(stopped.error?.description).toBe(`Check ${label} (item 1)`);
      expect(smsc.store.list()).toHaveLength(0); // nothing is sent when an item is bad

      const continued = await within(DEADLINE_MS, c.field, send(items, c.options, {}, true));
      expect(continued.status).toBe('success');
      const out = continued.items('Send SMS');
      expect(out.map((i) => i.status)).toEqual(['accepted', 'failed', 'accepted']);
      expect(out[1]).toMatchObject({ field: c.key, error: expect.stringMatching(c.expected) });
      expect(
        smsc.store
          .list()
          .map((m) => m.to)
          .sort(),
      ).toEqual(['447911123001', '447911123003']);
      rows.push({
        component: 'Send SMS',
        field: c.field,
        badValue: c.badValue,
        message: stopped.error!.message,
        description: stopped.error?.description,
        expected: c.expected.source,
        fix: c.fix,
      });
    },
  );

  it.each(credentialCases.map((c) => [`${c.field} = ${c.badValue}`, c] as const))(
    '%s: node and Test button say what is wrong, in time',
    async (_name, c) => {
      const credential = c.credential({ smsc, silent, tlsSmsc, tlsElsewhere });
      const run = await within(DEADLINE_MS, c.field, send([GOOD_A, GOOD_B], {}, credential));
      expect(run.status).toBe('error');
      expect(run.error?.message).toMatch(c.expected);
      expect(`${run.error?.message} ${run.error?.description ?? ''}`).toMatch(c.names);

      const continued = await within(DEADLINE_MS, c.field, send([GOOD_A, GOOD_B], {}, credential, true));
      if (c.continued === 'error items') {
        expect(continued.status).toBe('success');
        expect(continued.items('Send SMS')).toEqual([
          expect.objectContaining({ to: GOOD_A.to, status: 'failed', field: 'credential', error: expect.stringMatching(c.expected) }),
          expect.objectContaining({ to: GOOD_B.to, status: 'failed', field: 'credential', error: expect.stringMatching(c.expected) }),
        ]);
      } else {
        expect(continued.nodeError('Send SMS')?.message).toMatch(c.expected);
        expect(continued.items('Send SMS').map((item) => item.to)).toEqual([GOOD_A.to, GOOD_B.to]);
      }
      expect(smsc.store.list()).toHaveLength(0);

      const tested = await within(
        DEADLINE_MS,
        `${c.field} (credential test)`,
        testCredential({ nodeTypes, credentialType: 'smppApi', data: smppCredential(smsc, credential), credentialTypes }),
      );
      expect(tested.status).toBe('Error');
      expect(tested.message).toMatch(c.expected);
      rows.push({
        component: 'Send SMS (SMPP Carrier credential)',
        field: c.field,
        badValue: c.badValue,
        message: run.error!.message,
        description: run.error?.description,
        expected: c.expected.source,
        fix: c.fix,
      });
      rows.push({
        component: 'SMPP Carrier credential: Test',
        field: c.field,
        badValue: c.badValue,
        message: tested.message,
        expected: c.expected.source,
        fix: c.fix,
      });
    },
    45_000,
  );
});
