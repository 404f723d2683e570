// Cancel Sent Message of a 3-part message where one part's cancel is refused: the item must
// not hide that other parts WERE cancelled (or the phone gets a fragment nobody knows about).
import type { IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';

const SEND = 'n8n-nodes-sms-gateway.sendSms';

describe('partial cancel of a long message', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox();
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  it('a refused part is reported together with the parts that were cancelled', async () => {
    const run = (parameters: IDataObject) =>
      runWorkflow({
        nodes: [{ name: 'Op', type: SEND, parameters, credentials: smppCredentialRef, continueOnFail: true }],
        connections: chain('Start', 'Op'),
        nodeTypes,
        credentials: { smppApi: smppCredential(smsc) },
        credentialTypes,
        inputItems: [{}],
      });
    const sent = await run({ to: '+447911123301', message: 'x'.repeat(400), options: { scheduleAt: new Date(Date.now() + 3000).toISOString() } });
    const ids = sent.items('Op')[0].messageIds as string[];
    expect(ids).toHaveLength(3);
    // Part 2's ID was mistyped / already gone (e.g. delivered): its cancel is refused.
    const res = await run({ operation: 'cancelMessage', messageIds: [ids[0], 'gone-2', ids[2]].join(',') });
    const [item] = res.items('Op');
    const stillHeld = ids.filter((id) => smsc.scheduled.get(id) !== undefined);
    // Part 2's own ID (never named) stays held; the carrier refused 'gone-2'.
    // Every part is tried: parts 1 and 3 cancelled, part 2 listed with the carrier's refusal.
    expect(stillHeld).toEqual([ids[1]]);
    expect(item).toEqual(
      expect.objectContaining({
        status: 'failed',
        cancelled: [ids[0], ids[2]],
        notCancelled: [{ messageId: 'gone-2', error: expect.stringMatching(/ESME_RCANCELFAIL/) }],
      }),
    );
  });
});
