// Failed items on n8n's error output say whether another route may send them (retryElsewhere):
// Send SMS, Bulk Alert Broadcast (per recipient) and OTP Issue, through n8n's engine, with the
// sandbox SMSC over TCP refusing, staying silent after a write, or the bind failing.
import type { IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { HarnessNode } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { Status } from '../../src/transport/smpp/command-status';
import { startSandbox } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';
import { ISSUE_TYPE, otpCredentialTypes, otpNodeTypes, SIGNING_KEY } from '../fixtures/otp/otp-node-runs';

const SEND = 'n8n-nodes-sms-gateway.sendSms';
const BROADCAST = 'n8n-nodes-sms-gateway.bulkAlertBroadcast';

describe('failover classes on the error output (n8n WorkflowExecute, sandbox over TCP)', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox();
  });
  afterEach(async () => {
    smsc.setFaults({ stalled: false });
    await closeAllSmppTransports();
    await smsc.stop();
  });

  const runOne = (node: Omit<HarnessNode, 'name'>, inputItems: IDataObject[], credential: IDataObject = {}) =>
    runWorkflow({
      nodes: [{ name: 'Node', onError: 'continueErrorOutput', ...node }],
      connections: chain('Start', 'Node'),
      nodeTypes: { ...nodeTypes, ...otpNodeTypes },
      credentials: { smppApi: smppCredential(smsc, credential), smsOtpApi: { serverKey: SIGNING_KEY, defaultCountry: 'DE', appName: 'ACME' } },
      credentialTypes: [...credentialTypes, ...otpCredentialTypes],
      inputItems,
    });
  const send = (inputItems: IDataObject[], credential: IDataObject = {}) =>
    runOne({ type: SEND, parameters: { to: '={{ $json.to }}', message: '={{ $json.text }}' }, credentials: smppCredentialRef }, inputItems, credential);

  it('Send SMS: a refused number leaves by the error output with retryElsewhere true, the accepted one by the main output', async () => {
    smsc.setFaults({ failDestinations: ['447911123202'], failStatus: Status.invalidDestination });
    const run = await send([
      { to: '+447911123201', text: 'ok' },
      { to: '+447911123202', text: 'refused' },
    ]);
    expect(run.status).toBe('success');
    expect(run.items('Node', 0)).toMatchObject([{ to: '+447911123201', status: 'accepted' }]);
    const [failed] = run.items('Node', 1);
    // n8n keeps the input item's fields beside error and details.
    expect(failed).toMatchObject({
      text: 'refused',
      error: expect.stringMatching(/ESME_RINVDSTADR/),
      details: { to: '+447911123202', status: 'failed', failure: 'refused', retryElsewhere: true },
    });
  });

  // No answer after the write (a possible duplicate, retryElsewhere false) is produced in
  // test/gateway/failure-class.test.ts: the sandbox's stall holds bind answers too, so a node run
  // would fail at the bind (not sent) before writing anything.

  it('Send SMS: part 2 of 3 refused is partly accepted, retryElsewhere false', async () => {
    smsc.setFaults({ failParts: [2], failStatus: Status.invalidDestination });
    const run = await send([{ to: '+447911123204', text: 'y'.repeat(400) }]);
    expect(run.items('Node', 1)).toMatchObject([{ details: { failure: 'partly_accepted', retryElsewhere: false, parts: 3 } }]);
  });

  it('Send SMS: a bind that fails before anything is written: not sent, retryElsewhere true', async () => {
    const run = await send([{ to: '+447911123205', text: 'no bind' }], { password: 'wrong' });
    expect(run.items('Node', 1)).toMatchObject([{ details: { failure: 'not_sent', retryElsewhere: true, field: 'credential' } }]);
  });

  it('Send SMS with Continue (regular output): the same fields at the top of the item', async () => {
    smsc.setFaults({ failDestinations: ['447911123206'], failStatus: Status.invalidDestination });
    const run = await runOne(
      { type: SEND, parameters: { to: '={{ $json.to }}', message: 'x' }, credentials: smppCredentialRef, onError: 'continueRegularOutput' },
      [{ to: '+447911123206' }],
    );
    expect(run.items('Node', 0)).toMatchObject([{ to: '+447911123206', status: 'failed', failure: 'refused', retryElsewhere: true }]);
  });

  it('Broadcast, per recipient: failed and invalid recipients on the error output, each with its class', async () => {
    smsc.setFaults({ failDestinations: ['447911123212'], failStatus: Status.invalidDestination });
    const run = await runOne(
      {
        type: BROADCAST,
        credentials: smppCredentialRef,
        parameters: {
          recipientSource: 'items',
          recipientField: 'phone',
          messageSource: 'text',
          message: 'Boil water notice',
          output: 'perRecipient',
          broadcastId: `classes-${Date.now()}`,
        },
      },
      [{ phone: '+447911123211' }, { phone: '+447911123212' }, { phone: 'not a number' }],
    );
    expect(run.status).toBe('success');
    expect(run.items('Node', 0).map((i) => i.type)).toEqual(['recipient', 'summary']);
    const errors = run
      .items('Node', 1)
      .map((e) => e.details as IDataObject)
      .sort((a, b) => Number(a.itemIndex) - Number(b.itemIndex));
    expect(errors).toEqual([
      expect.objectContaining({ to: '+447911123212', status: 'failed', failure: 'refused', retryElsewhere: true }),
      expect.objectContaining({ status: 'invalid', failure: 'invalid', retryElsewhere: false }),
    ]);
  });

  it('OTP Issue: a code SMS the carrier refused is on the error output with retryElsewhere true', async () => {
    smsc.setFaults({ failDestinations: ['4915112369221'], failStatus: Status.invalidDestination });
    const run = await runOne(
      {
        type: ISSUE_TYPE,
        credentials: { ...smppCredentialRef, smsOtpApi: { id: 'cred-otp', name: 'OTP settings' } },
        parameters: { phoneNumber: '+4915112369221' },
      },
      [{}],
    );
    expect(run.status).toBe('success');
    expect(run.items('Node', 1)).toMatchObject([
      { error: expect.stringMatching(/was not accepted by the carrier/), details: { failure: 'refused', retryElsewhere: true } },
    ]);
  });
});
