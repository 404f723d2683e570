/**
 * Bad input table, part 3: the GSM Modem credential (its Test function against the modem
 * simulator on a real pty), the SMS Trigger node (run through n8n's engine) and the SMPP
 * Server Account credential. Every case answers within a deadline, names the field and the
 * problem, and never repeats a PIN or password.
 */
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions, IDataObject, INodeCredentialTestResult } from 'n8n-workflow';
import { chain, logCapture, runWorkflow, testCredential } from '../harness/n8n-harness';
import { closeAllModems } from '../../src/registry/modem-registry';
import { closeAllSmppServers } from '../../src/registry/listener-registry';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { gsmModemApiTest } from '../../nodes/shared/credentials/modem-credential-test';
import { startSimulatedModem } from '../../src/transport/modem/simulator';
import type { SimulatedModem } from '../../src/transport/modem/simulator';
import { startSandbox } from '../support/sandbox';
import {
  carrierCredential,
  carrierRef,
  serverCredential,
  serverRef,
  TRIGGER,
  triggerCredentialTypes,
  triggerNodeTypes,
} from '../inbound/support/trigger-node-setup';
import { recordSection, within } from '../reliability/support/bad-input-table';
import type { ObservedRow } from '../reliability/support/bad-input-table';
import { REFUSED_PORT } from '../reliability/support/silent-server';

const DEADLINE_MS = 20_000;
const SIM_PIN = '1357';
const WRONG_PIN = '9924';

function modemTest(data: Record<string, unknown>): Promise<INodeCredentialTestResult> {
  // The test function uses nothing from its context; n8n passes a CredentialTestContext.
  return gsmModemApiTest.call({} as ICredentialTestFunctions, {
    id: 'modem',
    name: 'Modem',
    type: 'gsmModemApi',
    data: data as ICredentialDataDecryptedObject,
  });
}

interface ModemCase {
  field: string;
  badValue: string;
  /** The simulator to start (none: the path does not exist at all). */
  simulator?: { pin?: string; silent?: boolean };
  data: (devicePath: string) => Record<string, unknown>;
  expected: RegExp;
  fix: string;
}

const modemCases: ModemCase[] = [
  {
    field: 'Device Path',
    badValue: '/dev/does-not-exist',
    data: () => ({ devicePath: '/dev/does-not-exist' }),
    expected: /the serial device \/dev\/does-not-exist does not exist: is the modem plugged in\?/,
    fix: 'Plug the modem in; use its /dev/serial/by-id/ path',
  },
  {
    field: 'Device Path',
    badValue: '(empty)',
    data: () => ({ devicePath: '  ' }),
    expected: /^Device Path is empty/,
    fix: "Enter the modem's AT port, e.g. /dev/ttyUSB0",
  },
  {
    field: 'Baud Rate',
    badValue: 'fast',
    simulator: {},
    data: (p) => ({ devicePath: p, baudRate: 'fast' }),
    expected: /^Baud Rate must be a positive whole number \(got fast\)/,
    fix: 'Pick a baud rate from the list (115200 for most modems)',
  },
  {
    field: 'SIM PIN',
    badValue: 'wrong PIN',
    simulator: { pin: SIM_PIN },
    data: (p) => ({ devicePath: p, pin: WRONG_PIN }),
    expected: /the SIM card rejected the PIN/,
    fix: 'Enter the right PIN; after 3 wrong PINs the SIM needs its PUK',
  },
  {
    field: 'SIM PIN',
    badValue: '(empty, SIM asks for one)',
    simulator: { pin: SIM_PIN },
    data: (p) => ({ devicePath: p }),
    expected: /PIN/,
    fix: "Enter the SIM's PIN in the credential",
  },
  {
    field: 'Device Path',
    badValue: 'a port that answers nothing',
    simulator: { silent: true },
    data: (p) => ({ devicePath: p }),
    expected: /^no answer to AT from .* at 115200 baud: is this the modem's AT port/,
    fix: 'USB modems have several ports: try the other ones, or check the baud rate',
  },
];

interface TriggerCase {
  field: string;
  badValue: string;
  parameters: IDataObject;
  carrier?: IDataObject;
  server?: IDataObject;
  expected: RegExp;
  names: RegExp;
  fix: string;
}

const triggerCases: TriggerCase[] = [
  {
    field: 'Regular Expression',
    badValue: '([a-z',
    parameters: { keywordMatch: 'regex', keywordRegex: '([a-z' },
    expected: /"\(\[a-z" is not a valid regular expression/,
    names: /Check "Regular Expression"/,
    fix: 'Fix the expression (test it in a regex tester)',
  },
  {
    field: 'Events',
    badValue: '(none chosen)',
    parameters: { events: [] },
    expected: /Events: choose at least one event type/,
    names: /Check "Events"/,
    fix: 'Choose Incoming Message, Delivery Receipt or both',
  },
  {
    field: 'Options > Incomplete Message Timeout (Seconds)',
    badValue: '-1',
    parameters: { options: { reassemblyTimeoutSeconds: -1 } },
    expected: /Incomplete Message Timeout \(Seconds\) must be more than 0 \(got "-1"\)/,
    names: /Check "Incomplete Message Timeout \(Seconds\)" in Options/,
    fix: 'Use a positive number of seconds (60 is the default)',
  },
  {
    field: 'SMPP Carrier credential: Password',
    badValue: 'wrong password',
    parameters: {},
    carrier: { password: 'Wr0ngPw!' },
    expected: /ESME_RINVPASWD/,
    names: /password|RINVPASWD/i,
    fix: 'Re-enter the password the carrier gave you',
  },
  {
    field: 'SMPP Carrier credential: Port',
    badValue: `127.0.0.1:${REFUSED_PORT}`,
    parameters: {},
    carrier: { port: REFUSED_PORT },
    expected: /connection refused by 127\.0\.0\.1:1/,
    names: /port/i,
    fix: 'Check host and port',
  },
  {
    field: 'SMPP Carrier credential: Bind Mode',
    badValue: 'Transmitter',
    parameters: {},
    carrier: { bindMode: 'transmitter' },
    expected: /binds as Transmitter \(send only\), which receives nothing/,
    names: /bindMode|Bind Mode/,
    fix: 'Use Transceiver, or the node option Bind Mode: Receiver (Separate Bind)',
  },
  {
    field: 'Port (SMPP server mode)',
    badValue: '70000',
    parameters: { source: 'server', host: '127.0.0.1', port: 70000 },
    expected: /Port must be 0-65535 \(got 70000\)/,
    names: /Check "Port"/,
    fix: 'Use a free port (2775 is the SMPP default)',
  },
  {
    field: 'Options > Max Connections per Address (SMPP server mode)',
    badValue: '0',
    parameters: { source: 'server', host: '127.0.0.1', port: 0, options: { maxConnectionsPerAddress: 0 } },
    expected: /Max Connections per Address must be a whole number from 1 to 1000 \(got "0"\)/,
    names: /Check "Max Connections per Address" in Options/,
    fix: 'Use 1 to 1000 (10 is the default)',
  },
  {
    field: 'Options > Bind Timeout (Seconds) (SMPP server mode)',
    badValue: '0',
    parameters: { source: 'server', host: '127.0.0.1', port: 0, options: { bindTimeoutSeconds: 0 } },
    expected: /Bind Timeout \(Seconds\) must be from 0\.1 to 300 \(got "0"\)/,
    names: /Check "Bind Timeout \(Seconds\)" in Options/,
    fix: 'A few seconds (5 is the default): enough for your applications to bind',
  },
  {
    field: 'Options > TLS Handshake Timeout (Seconds) (SMPP server mode)',
    badValue: '600',
    parameters: { source: 'server', host: '127.0.0.1', port: 0, options: { tlsHandshakeTimeoutSeconds: 600 } },
    expected: /TLS Handshake Timeout \(Seconds\) must be from 0\.1 to 120 \(got "600"\)/,
    names: /Check "TLS Handshake Timeout \(Seconds\)" in Options/,
    fix: 'A few seconds (5 is the default)',
  },
  {
    field: 'SMPP Server Account credential: Password',
    badValue: '(empty)',
    parameters: { source: 'server', host: '127.0.0.1', port: 0 },
    server: { password: '' },
    expected: /Password is empty \(an open port without a password is not allowed\)/,
    names: /password|Password/,
    fix: 'Set a password your applications bind with',
  },
];

/** A valid private key that does not belong to the fixture certificate. */
const OTHER_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const serverCredentialCases: Array<{ field: string; badValue: string; data: IDataObject; expected: RegExp; fix: string }> = [
  {
    field: 'System ID',
    badValue: '16 characters',
    data: { systemId: 'abcdefghijklmnop' },
    expected: /System ID is 16 characters; SMPP allows 15/,
    fix: 'At most 15 characters',
  },
  {
    field: 'TLS Private Key (PEM)',
    badValue: 'not a key',
    data: { tls: true, tlsKey: 'not a key', tlsCert: '-----BEGIN CERTIFICATE-----' },
    expected: /TLS Private Key is not a PEM private key/,
    fix: 'Paste the PEM key, -----BEGIN PRIVATE KEY----- included',
  },
  {
    field: 'TLS Private Key (PEM)',
    badValue: "a key that is not the certificate's",
    data: { tls: true, tlsKey: OTHER_KEY, tlsCert: fs.readFileSync(path.join(__dirname, '../fixtures/tls/sandbox-cert.pem'), 'utf8') },
    expected: /the TLS key and certificate cannot be used together: key values mismatch$/,
    fix: 'Paste the key that belongs to this certificate',
  },
  {
    field: 'Lock Out After Failed Binds',
    badValue: '0',
    data: { maxFailedBinds: 0 },
    expected: /Lock Out After Failed Binds must be a whole number from 1 to 1000 \(got "0"\)/,
    fix: 'Use 1 to 1000 (10 is the default)',
  },
  {
    field: 'Lockout (Minutes)',
    badValue: '0',
    data: { lockoutMinutes: 0 },
    expected: /Lockout \(Minutes\) must be a whole number from 1 to 1440 \(got "0"\)/,
    fix: 'Use 1 to 1440 minutes (5 is the default); 0 would turn the lockout off',
  },
];

describe('bad input: GSM Modem credential, SMS Trigger and SMPP Server Account credential', () => {
  let smsc: SandboxSmsc;
  let modem: SimulatedModem | undefined;
  const rows: ObservedRow[] = [];

  beforeAll(async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    process.env.SMS_GATEWAY_LISTENER_IDLE_CLOSE_MS = '0';
    smsc = await startSandbox();
  });
  afterEach(async () => {
    await closeAllModems();
    await modem?.stop();
    modem = undefined;
    await closeAllSmppTransports();
    await closeAllSmppServers();
  });
  afterAll(async () => {
    await recordSection('GSM Modem, SMS Gateway Trigger and SMPP Server Account', rows);
    await smsc.stop();
  });

  it.each(modemCases.map((c) => [`GSM Modem credential: ${c.field} = ${c.badValue}`, c] as const))(
    '%s',
    async (_name, c) => {
      let devicePath = '/dev/does-not-exist';
      if (c.simulator) {
        modem = await startSimulatedModem({ pin: c.simulator.pin });
        if (c.simulator.silent) modem.simulator.setSilent(true);
        devicePath = modem.path;
      }
      const result = await within(DEADLINE_MS, `modem ${c.field}`, modemTest(c.data(devicePath)));
      expect(result.status).toBe('Error');
      expect(result.message).toMatch(c.expected);
      expect(result.message).not.toContain(WRONG_PIN);
      expect(result.message).not.toContain(SIM_PIN);
      expect(fs.existsSync('/dev/does-not-exist')).toBe(false);
      rows.push({
        component: 'GSM Modem credential: Test',
        field: c.field,
        badValue: c.badValue,
        message: result.message.split(modem?.path ?? '\u0000').join('<device path>'),
        expected: c.expected.source,
        fix: c.fix,
      });
    },
    30_000,
  );

  it.each(triggerCases.map((c) => [`SMS Trigger: ${c.field} = ${c.badValue}`, c] as const))('%s', async (_name, c) => {
    const mark = logCapture.mark();
    const run = await within(
      DEADLINE_MS,
      `SMS Trigger ${c.field}`,
      runWorkflow({
        nodes: [{ name: 'SMS Trigger', type: TRIGGER, parameters: c.parameters, credentials: { ...carrierRef, ...serverRef } }],
        connections: chain('SMS Trigger'),
        nodeTypes: triggerNodeTypes,
        credentials: { smppApi: carrierCredential(smsc, c.carrier), smppServerApi: serverCredential(c.server) },
        credentialTypes: triggerCredentialTypes,
      }),
    );
    expect(run.status).toBe('error');
    expect(run.error?.message).toMatch(c.expected);
    expect(`${run.error?.message} ${run.error?.description ?? ''}`).toMatch(c.names);
    expect(logCapture.text(mark)).not.toContain('Wr0ngPw!');
    rows.push({
      component: 'SMS Gateway Trigger',
      field: c.field,
      badValue: c.badValue,
      message: run.error!.message,
      description: run.error?.description,
      expected: c.expected.source,
      fix: c.fix,
    });
  });

  it('SMS Trigger (SMPP server mode): a port another program holds is named with its address', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const run = await within(
        DEADLINE_MS,
        'SMS Trigger port in use',
        runWorkflow({
          nodes: [{ name: 'SMS Trigger', type: TRIGGER, parameters: { source: 'server', host: '127.0.0.1', port }, credentials: serverRef }],
          connections: chain('SMS Trigger'),
          nodeTypes: triggerNodeTypes,
          credentials: { smppServerApi: serverCredential() },
          credentialTypes: triggerCredentialTypes,
        }),
      );
      expect(run.status).toBe('error');
      expect(run.error?.message).toBe(`Port ${port} on 127.0.0.1 is already in use by another program`);
      rows.push({
        component: 'SMS Gateway Trigger',
        field: 'Port (SMPP server mode)',
        badValue: 'a port another program listens on',
        message: run.error!.message.replace(String(port), '<port>'),
        description: run.error?.description,
        expected: 'Port <port> on 127.0.0.1 is already in use by another program',
        fix: 'Pick a free port, or stop the other program',
      });
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it.each(serverCredentialCases.map((c) => [`SMPP Server Account credential: ${c.field} = ${c.badValue}`, c] as const))('%s', async (_name, c) => {
    const result = await within(
      DEADLINE_MS,
      c.field,
      testCredential({ nodeTypes: triggerNodeTypes, credentialType: 'smppServerApi', data: serverCredential(c.data), credentialTypes: triggerCredentialTypes }),
    );
    expect(result.status).toBe('Error');
    expect(result.message).toMatch(c.expected);
    rows.push({
      component: 'SMPP Server Account credential: Test',
      field: c.field,
      badValue: c.badValue,
      message: result.message,
      expected: c.expected.source,
      fix: c.fix,
    });
  });
});
