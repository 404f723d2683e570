/**
 * OTP Issue with Transport = GSM Modem and SMPP with Modem Failover, then OTP Verify with the code
 * the phone received, through n8n's WorkflowExecute (simulated modem over a real pty, sandbox SMSC
 * over TCP, memory store).
 */
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { logCapture } from '../harness/n8n-harness';
import type { HarnessRun } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllModems } from '../../src/registry/modem-registry';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { Status } from '../../src/transport/smpp/command-status';
import { startSimulatedModem } from '../../src/transport/modem/simulator';
import type { SimulatedModem } from '../../src/transport/modem/simulator';
import { startSandbox } from '../support/sandbox';
import { modemCredential, modemTextsTo, nodeTypes, OTP_ISSUE, OTP_VERIFY, runNode, smppCredential } from './transport-choice-fixtures';

const ISSUE = 'OTP Issue';
const VERIFY = 'OTP Verify';
const APPROVED = 0;
const REJECTED = 1;
/** Numbers unique to this file: the memory OTP store is process-wide. */
const phone = (i: number): string => `+4479112${String(i).padStart(5, '0')}`;

function codeIn(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error(`no code in ${JSON.stringify(text)}`);
  return match[1];
}

describe('OTP Issue: transport choice, then OTP Verify (n8n WorkflowExecute, simulated modem over a pty)', () => {
  let smsc: SandboxSmsc;
  let sim: SimulatedModem;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox();
    sim = await startSimulatedModem();
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await closeAllModems();
    await smsc.stop();
    await sim.stop();
  });

  const issue = (transport: string, to: string, parameters: IDataObject = {}): Promise<HarnessRun> =>
    runNode({
      type: OTP_ISSUE,
      name: ISSUE,
      parameters: { operation: 'sendSmsCode', transport, phoneNumber: to, appName: 'ACME', ...parameters },
      credentials: {
        ...(transport !== 'modem' ? { smppApi: smppCredential(smsc.port) } : {}),
        ...(transport !== 'smpp' ? { gsmModemApi: modemCredential(sim) } : {}),
      },
    });
  const verify = (to: string, code: string): Promise<HarnessRun> =>
    runNode({ type: OTP_VERIFY, name: VERIFY, parameters: { operation: 'verifySmsCode', phoneNumber: to, code }, credentials: {} });

  it('issues a code through the modem; Verify approves the code the phone received', async () => {
    const to = phone(1);
    const issued = await issue('modem', to, { from: 'whatever: a modem has no sender ID' });
    expect(issued.error).toBeUndefined();
    const [item] = issued.items(ISSUE);
    const texts = modemTextsTo(sim, to);
    expect(texts).toHaveLength(1);
    const code = codeIn(texts[0]);
    expect(texts[0]).toBe(`Your ACME code is ${code}. It expires in 10 minutes.`);
    expect(item).toMatchObject({ to, status: 'pending', route: 'modem', sendCount: 1, messageIds: [String(sim.simulator.sent[0].messageReference)] });
    expect(JSON.stringify(issued.outputs(ISSUE))).not.toContain(code);
    expect(logCapture.text()).not.toContain(code);
    expect(smsc.store.list()).toHaveLength(0);

    const wrong = await verify(to, code === '000000' ? '111111' : '000000');
    expect(wrong.items(VERIFY, REJECTED)).toEqual([expect.objectContaining({ approved: false, reason: 'invalid_code' })]);
    const right = await verify(to, code);
    expect(right.items(VERIFY, APPROVED)).toEqual([expect.objectContaining({ to, approved: true, status: 'approved', sid: item.sid })]);
  });

  it('failover: the carrier fails the code with a temporary error, the modem delivers it, Verify approves it', async () => {
    smsc.setFaults({ failRatio: 1, failStatus: Status.systemError });
    const to = phone(2);
    const issued = await issue('failover', to);
    expect(issued.error).toBeUndefined();
    const [item] = issued.items(ISSUE);
    expect(item).toMatchObject({ route: 'modem', status: 'pending' });
    expect(String(item.smppError)).toMatch(/ESME_RSYSERR/);
    const [text] = modemTextsTo(sim, to);
    expect((await verify(to, codeIn(text))).items(VERIFY, APPROVED)).toHaveLength(1);
  });

  it('failover: a permanent refusal is not retried by modem; the failed first send ends the verification', async () => {
    const to = phone(3);
    smsc.setFaults({ failDestinations: [to.slice(1)], failStatus: Status.invalidDestination });
    const issued = await issue('failover', to);
    expect(issued.status).toBe('error');
    expect(issued.error?.message).toMatch(/not accepted by the carrier \(carrier rejected the message: ESME_RINVDSTADR/);
    expect(issued.error?.message).toMatch(/the verification was ended/);
    expect(sim.simulator.sent).toHaveLength(0);
  });

  it('a modem failure says so, and ends the verification so a retry starts afresh', async () => {
    const to = phone(4);
    sim.simulator.failNextSend(21);
    const issued = await issue('modem', to);
    expect(issued.status).toBe('error');
    expect(issued.error?.message).toMatch(
      /^OTP SMS to \+4479112\d+ was not accepted by the GSM modem \(.*short message transfer rejected.*\); nothing was sent and the verification was ended/,
    );
    const retried = await issue('modem', to);
    expect(retried.items(ISSUE)[0]).toMatchObject({ status: 'pending', sendCount: 1, route: 'modem' });
  });

  it('shows the transport credentials only for Send SMS Code', () => {
    const description = nodeTypes[OTP_ISSUE].description;
    const shown = (parameters: IDataObject): string[] => {
      const node: INode = { id: '1', name: ISSUE, type: OTP_ISSUE, typeVersion: 1, position: [0, 0], parameters: parameters as INode['parameters'] };
      node.parameters = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description) ?? {};
      return (description.credentials ?? [])
        .filter((c) => c.required && NodeHelpers.displayParameter(node.parameters, c, node, description))
        .map((c) => c.name);
    };
    expect(shown({ operation: 'sendSmsCode', transport: 'modem' })).toEqual(['gsmModemApi']);
    expect(shown({ operation: 'sendSmsCode', transport: 'failover' })).toEqual(['smppApi', 'gsmModemApi']);
    expect(shown({ operation: 'sendSmsCode' })).toEqual(['smppApi']);
    expect(shown({ operation: 'enrolAuthenticator', transport: 'modem' })).toEqual([]);
  });
});
