// The nodes as a person meets them in n8n's editor (headless Chromium, the real n8n): each node is
// added from the node panel by search and opened, and its panel must show every parameter (Transport,
// Source, Operation, Handle Opt-Out Keywords), one labelled credential slot per type, first, each
// offering only its own type, and the right fields when Transport, Operation or Resource change.
// Send SMS is then configured by hand (no workflow import) and run against the sandbox.
// Workflow JSON runs whatever the editor shows, so only this suite sees these things.
// Screenshots of every panel go to docs/screenshots/ (SCREENSHOTS_DIR overrides it).
import * as path from 'node:path';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { EditorPage } from './support/editor-page';
import type { CredentialSlot } from './support/editor-page';
import { createCredential } from './support/n8n-resources';
import { E2E_OWNER, N8nUnderTest } from './support/n8n-under-test';
import { eventually, messagesTo, smppCredentialData, startE2eSandbox } from './support/sms-sandbox';

const ACCOUNT = { systemId: 'e2eeditor', password: 'pw-edit1' };
const SHOTS = path.resolve(process.env.SCREENSHOTS_DIR || path.join(__dirname, '..', '..', 'docs', 'screenshots'));
const note = (line: string): void => {
  process.stderr.write(`[e2e editor] ${line}\n`);
};

/** One credential of each type, so every picker has something of its own type and of every other. */
const CREDENTIALS: Record<string, { name: string; type: string }> = {
  'SMPP Carrier': { name: 'Sandbox carrier', type: 'smppApi' },
  'GSM Modem': { name: 'Modem on ttyUSB0', type: 'gsmModemApi' },
  'SMPP Server Account': { name: 'Shop application', type: 'smppServerApi' },
  'SMS OTP Settings': { name: 'Login codes', type: 'smsOtpApi' },
  'SMS Gateway Redis': { name: 'Local Redis', type: 'smsGatewayRedisApi' },
  'SMS Gateway PostgreSQL': { name: 'Residents database', type: 'smsGatewayPostgresApi' },
};

/** The slot labels in order, each offering exactly the one credential of its own type. */
function expectSlots(slots: CredentialSlot[], labels: string[]): void {
  expect(slots.map((slot) => slot.label)).toEqual(labels);
  for (const slot of slots) {
    expect({ slot: slot.label, offers: slot.offers }).toEqual({ slot: slot.label, offers: [{ name: CREDENTIALS[slot.label].name, type: slot.label }] });
  }
}

/** `labels` appear, in this order, among what the panel shows. */
function expectInOrder(shown: string[], labels: string[]): void {
  expect(shown.filter((label) => labels.includes(label))).toEqual(labels);
}

describe("the nodes in n8n's editor", () => {
  let n8n: N8nUnderTest | undefined;
  let smsc: SandboxSmsc;
  let editor: EditorPage | undefined;
  const ids: Record<string, string> = {};

  beforeAll(
    async () => {
      smsc = await startE2eSandbox([ACCOUNT]);
      n8n = await N8nUnderTest.start({ label: 'editor', mode: 'regular', note });
      const { client } = n8n;
      await n8n.guard(async () => {
        const data: Record<string, Record<string, unknown>> = {
          smppApi: smppCredentialData(smsc, ACCOUNT),
          gsmModemApi: { devicePath: '/dev/ttyUSB0' },
          smppServerApi: { systemId: 'shop', password: 'shop-pw1' },
          smsOtpApi: { serverKey: 'e2e-editor-signing-key-0123456789', defaultCountry: 'GB', appName: 'E2E' },
          smsGatewayRedisApi: { host: '127.0.0.1', port: 6379 },
          smsGatewayPostgresApi: { host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres', password: '', ssl: 'disable' },
        };
        for (const { name, type } of Object.values(CREDENTIALS)) ids[type] = (await createCredential(client, name, type, data[type])).id;
        editor = await EditorPage.open(n8n!.main.url, E2E_OWNER);
      })();
    },
    6 * 60 * 1000,
  );

  afterAll(
    async () => {
      await editor?.close();
      await n8n?.shutdown();
      await smsc?.stop();
    },
    2 * 60 * 1000,
  );

  const page = (): EditorPage => {
    if (!editor) throw new Error('the editor did not open (see the beforeAll error)');
    return editor;
  };
  let failures = 0;
  const test = (name: string, body: () => Promise<void>): void => {
    it(
      name,
      () =>
        n8n!.guard(async () => {
          try {
            await body();
          } catch (error) {
            // What the editor showed when it failed, beside the kept n8n logs.
            const shot = await editor?.screenshot(path.join(__dirname, '..', '..', 'test-output', 'e2e'), `editor-failure-${++failures}.png`).catch(() => null);
            if (shot) note(`the editor at the failure: ${shot}`);
            throw error;
          }
        })(),
      3 * 60 * 1000,
    );
  };

  test("Send SMS: Transport on the panel, the carrier's slot first, the modem's and Redis's when chosen", async () => {
    const p = page();
    await p.addNode('Send SMS', 'Send an SMS');
    expectInOrder(await p.labels(), [
      'SMPP Carrier',
      'Operation',
      'Transport',
      'To',
      'From',
      'Message',
      'Wait for Delivery Receipt',
      'State Store',
      'Options',
      'SMPP Options',
    ]);
    expectSlots(await p.credentialSlots(), ['SMPP Carrier']);
    expect(await p.textOf('from')).toContain('Empty: the Default Sender of the SMPP Carrier credential');
    await p.screenshot(SHOTS, 'editor-send-sms.png');

    await p.choose('transport', 'SMPP with Modem Failover');
    await p.choose('stateStore', 'Redis (Shared, Required for Queue Mode)');
    expectSlots(await p.credentialSlots(), ['SMPP Carrier', 'GSM Modem', 'SMS Gateway Redis']);
    await p.screenshot(SHOTS, 'editor-send-sms-failover-redis.png');

    await p.choose('transport', 'GSM Modem');
    expectSlots(await p.credentialSlots(), ['GSM Modem', 'SMS Gateway Redis']);
    expect(await p.textOf('from')).toContain("A GSM modem sends from its SIM card's number");

    await p.choose('operation', 'Get Delivery Status');
    const labels = await p.labels();
    expect(labels).toContain('Message IDs');
    expect(labels).not.toContain('To');
  });

  test('Send SMS: the operations on a sent message (query, cancel, replace) and their fields', async () => {
    const p = page();
    await p.addNode('Send SMS', 'Send an SMS');
    expect(await p.optionsOf('operation')).toEqual([
      'Cancel Sent Message',
      'Get Delivery Status',
      'Get Gateway Status',
      'Query Sent Message',
      'Replace Sent Message',
      'Send',
      'Send Receipt to Application',
    ]);
    await p.choose('operation', 'Replace Sent Message');
    const replace = await p.labels();
    expectInOrder(replace, ['SMPP Carrier', 'Operation', 'Transport', 'Message IDs', 'Sent From', 'New Message', 'Options']);
    for (const hidden of ['To', 'Message', 'Wait for Delivery Receipt', 'SMPP Options']) expect(replace).not.toContain(hidden);
    expectSlots(await p.credentialSlots(), ['SMPP Carrier']);
    expect(await p.textOf('sentFrom')).toContain('Empty: the Default Sender of the SMPP Carrier credential');
    await p.screenshot(SHOTS, 'editor-send-sms-replace.png');

    await p.choose('operation', 'Cancel Sent Message');
    const cancel = await p.labels();
    expectInOrder(cancel, ['Operation', 'Transport', 'Message IDs', 'Sent From', 'Options']);
    expect(cancel).not.toContain('New Message');
    await p.choose('operation', 'Query Sent Message');
    expectInOrder(await p.labels(), ['Operation', 'Transport', 'Message IDs', 'Sent From']);
    // The modem cannot reach a sent message: no modem slot, whatever the transport says.
    await p.choose('transport', 'GSM Modem');
    expect((await p.credentialSlots()).map((slot) => slot.label)).not.toContain('GSM Modem');
  });

  test('Broadcast Alert: resource and operation; SMS reads what, to whom, from whom, how', async () => {
    const p = page();
    await p.addNode('Broadcast Alert', 'Send an SMS alert to a list');
    const labels = await p.labels();
    expectInOrder(labels, [
      'SMPP Carrier',
      'Resource',
      'Operation',
      'Transport',
      'Message Source',
      'Message',
      'Recipient Source',
      'Phone Number Field',
      'Opt-Out List',
      'Safety Alert: Ignore Opt-Outs',
      'From',
      'Broadcast ID',
      'Dry Run',
      'Wait for Delivery Receipts',
      'Output',
      'State Store',
      'Options',
      'SMPP Options',
    ]);
    expect(labels).not.toContain('Channel');
    expectSlots(await p.credentialSlots(), ['SMPP Carrier']);
    expect(await p.optionsOf('resource')).toEqual(['Cell Broadcast', 'SMS', 'SMS and Cell Broadcast']);
    expect(await p.optionsOf('messageSource')).toEqual(['Text', 'CAP 1.2 Alert (XML)']);
    expect(await p.textOf('broadcastId')).toContain('Empty: the alert itself is the ID');
    await p.screenshot(SHOTS, 'editor-broadcast-alert-sms.png');

    // A city-wide list comes as a CSV file, streamed: its fields replace the item field.
    expect(await p.optionsOf('recipientSource')).toEqual([
      'Input Items (One per Recipient)',
      'List or CSV Text',
      'CSV File (Binary, Streamed)',
      'PostgreSQL Query (Paged)',
    ]);
    await p.choose('recipientSource', 'CSV File (Binary, Streamed)');
    const file = await p.labels();
    expectInOrder(file, ['Recipient Source', 'Input Binary Field', 'Phone Number Column', 'First Line Is a Header', 'Opt-Out List']);
    expect(file).not.toContain('Phone Number Field');
    expect(await p.textOf('binaryPropertyName')).toContain('binary property that holds the CSV file');
    await p.screenshot(SHOTS, 'editor-broadcast-alert-csv-file.png');

    // Or rows of a PostgreSQL query, read in pages: its fields, and the database's credential slot after the carrier's.
    await p.choose('recipientSource', 'PostgreSQL Query (Paged)');
    const database = await p.labels();
    expectInOrder(database, [
      'SMPP Carrier',
      'SMS Gateway PostgreSQL',
      'Recipient Source',
      'SQL Query',
      'Query Parameters',
      'Phone Number Column',
      'Key Column',
      'Rows per Page',
      'Opt-Out List',
    ]);
    for (const hidden of ['Phone Number Field', 'Input Binary Field', 'First Line Is a Header']) expect(database).not.toContain(hidden);
    expectSlots(await p.credentialSlots(), ['SMPP Carrier', 'SMS Gateway PostgreSQL']);
    expect(await p.textOf('postgresQuery')).toContain('SELECT id, phone FROM residents');
    expect(await p.textOf('postgresQueryParameters')).toContain('Sent to the server apart from the SQL, never pasted into it');
    await p.scrollTo('postgresPageSize');
    await p.screenshot(SHOTS, 'editor-broadcast-alert-postgres.png');
    await p.choose('recipientSource', 'Input Items (One per Recipient)');
    expectSlots(await p.credentialSlots(), ['SMPP Carrier']);

    await p.choose('resource', 'Cell Broadcast');
    expect(await p.optionsOf('operation')).toEqual(['Cancel', 'Query', 'Send', 'Update']);
    const cell = await p.labels();
    expectInOrder(cell, [
      'SMPP Carrier',
      'Resource',
      'Operation',
      'Message Source',
      'Message',
      'Broadcast Area',
      'Area Names',
      'Public Warning Level',
      'State Store',
    ]);
    for (const hidden of ['Transport', 'Recipient Source', 'From', 'Dry Run']) expect(cell).not.toContain(hidden);
    // No modem slot even with a modem chosen for SMS before: cell broadcast goes by SMPP.
    expectSlots(await p.credentialSlots(), ['SMPP Carrier']);
    await p.screenshot(SHOTS, 'editor-broadcast-alert-cell.png');

    await p.choose('operation', 'Cancel');
    const cancel = await p.labels();
    expect(cancel).toContain('Broadcast ID or CAP Identifier');
    expect(cancel).not.toContain('Message Source');
  });

  test('Issue OTP: Operation and Transport on the panel; its SMS OTP Settings slot offers SMS OTP Settings; enrolling asks for no carrier', async () => {
    const p = page();
    await p.addNode('Issue OTP', 'Send a verification code by SMS');
    expectInOrder(await p.labels(), ['SMPP Carrier', 'SMS OTP Settings', 'Operation', 'Transport', 'Phone Number', 'Message Template']);
    expectSlots(await p.credentialSlots(), ['SMPP Carrier', 'SMS OTP Settings']);
    expect(await p.textOf('messageTemplate')).toContain('Placeholders take single braces');
    await p.screenshot(SHOTS, 'editor-issue-otp.png');
    // n8n fills one slot of a new node (the newest credential among its slots): run with the
    // carrier's slot empty, the error names it as the panel does.
    await p.fill('phoneNumber', '+447400123456');
    expect(await p.executeStep()).toContain('No SMPP Carrier credential selected');

    await p.choose('operation', 'Enrol Authenticator App');
    const enrol = await p.labels();
    expect(enrol).not.toContain('Transport');
    expect(enrol).toContain('User ID');
    expectSlots(await p.credentialSlots(), ['SMS OTP Settings']);
    await p.screenshot(SHOTS, 'editor-issue-otp-enrol.png');
  });

  test('Verify OTP: the SMS OTP Settings slot first, Redis when the State Store is Redis', async () => {
    const p = page();
    await p.addNode('Verify OTP', 'Verify an SMS code');
    expectInOrder(await p.labels(), ['SMS OTP Settings', 'Operation', 'Phone Number', 'Code', 'State Store']);
    expectSlots(await p.credentialSlots(), ['SMS OTP Settings']);
    await p.choose('stateStore', 'Redis (Shared, Required for Queue Mode)');
    expectSlots(await p.credentialSlots(), ['SMS OTP Settings', 'SMS Gateway Redis']);
    await p.screenshot(SHOTS, 'editor-verify-otp.png');
  });

  test('SMS Gateway Trigger: Source and Handle Opt-Out Keywords on the panel, one slot per source', async () => {
    const p = page();
    // Listed by its app's name beside Twilio or Vonage, not as a bare "SMS".
    expect(await p.searchNodePanel('SMS')).toContain('SMS Gateway');
    await p.addNode('SMS Gateway', 'On incoming message');
    expectInOrder(await p.labels(), [
      'SMPP Carrier',
      'Source',
      'Events',
      'Keyword Filter',
      'Handle Opt-Out Keywords',
      'Opt-Out List',
      'State Store',
      'Options',
    ]);
    expectSlots(await p.credentialSlots(), ['SMPP Carrier']);
    await p.screenshot(SHOTS, 'editor-sms-gateway-trigger.png');

    await p.choose('source', 'SMPP Server (Your Applications Bind Here)');
    expectInOrder(await p.labels(), ['SMPP Server Account', 'Source', 'Listen Address', 'Port']);
    expectSlots(await p.credentialSlots(), ['SMPP Server Account']);
    await p.screenshot(SHOTS, 'editor-sms-gateway-trigger-server.png');

    await p.choose('source', 'GSM Modem');
    await p.choose('stateStore', 'Redis (Shared, Required for Queue Mode)');
    expectSlots(await p.credentialSlots(), ['GSM Modem', 'SMS Gateway Redis']);
  });

  test('SMPP Carrier credential dialog: Binds and Max Binds Across Processes beside the Window Size', async () => {
    const p = page();
    const fields = await p.openCredential(ids.smppApi);
    const labels = fields.map((f) => f.label);
    expectInOrder(labels, ['Messages per Second (TPS)', 'Binds', 'Max Binds Across Processes', 'Window Size']);
    expect(fields.find((f) => f.label === 'Binds')?.value).toBe('1');
    expect(fields.find((f) => f.label === 'Max Binds Across Processes')?.value).toBe('0');
    await p.scrollCredentialTo('Max Binds Across Processes');
    await p.screenshot(SHOTS, 'credential-smpp-carrier-binds.png');
  });

  test('SMS Gateway PostgreSQL credential dialog: Host, Database, User, Password, Port, SSL; n8n runs its test against the real server', async () => {
    const p = page();
    const fields = await p.openCredential(ids.smsGatewayPostgresApi);
    expectInOrder(
      fields.map((f) => f.label),
      ['Host', 'Database', 'User', 'Password', 'Port', 'SSL'],
    );
    expect(fields.find((f) => f.label === 'Database')?.value).toBe('test');
    expect(fields.find((f) => f.label === 'Port')?.value).toBe('5432');
    expect(await p.credentialTestBanner()).toBe('Connection tested successfully');
    await p.screenshot(SHOTS, 'credential-sms-gateway-postgresql.png');
  });

  test('Send SMS configured by hand runs against the sandbox, and its output panel shows the result', async () => {
    const p = page();
    const phone = '+447911123450';
    await p.addNode('Send SMS', 'Send an SMS');
    await p.fill('to', phone);
    await p.fill('message', 'Typed into the editor by hand.');
    const output = await p.executeStep();
    await eventually(() => messagesTo(smsc, phone.slice(1)).length === 1, 'the SMS at the sandbox');
    expect(messagesTo(smsc, phone.slice(1))[0]).toMatchObject({ text: 'Typed into the editor by hand.', from: 'E2ETEST' });
    expect(output).toMatch(/\b1 item\b/);
    expect(await p.outputJson()).toMatch(new RegExp(`"to": "\\${phone}".*"status": "accepted"`));
    await p.screenshot(SHOTS, 'editor-send-sms-run.png');
    expect(await p.canvasSubtitle('Send SMS')).toBe('send by SMPP');
  });
});
