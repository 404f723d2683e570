import { GsmModemApi } from '../../credentials/GsmModemApi.credentials';
import { MemoryOptOutStore } from '../../src/optout/opt-out-store';
import { closeAllModems, modemRegistryUsers } from '../../src/registry/modem-registry';
import { processWide } from '../../src/process-wide/shared-resource-pool';
import { startSimulatedModem } from '../../src/transport/modem/simulator';
import type { SimulatedModem } from '../../src/transport/modem/simulator';
import { waitFor } from '../support/sandbox';
import { activateTrigger } from '../inbound/support/active-trigger';
import type { ActiveTrigger } from '../inbound/support/active-trigger';
import { TRIGGER, triggerNodeTypes } from '../inbound/support/trigger-node-setup';

describe('SMS Trigger node with the GSM modem source (simulated modem behind a real pty)', () => {
  let sim: SimulatedModem;
  let trigger: ActiveTrigger | undefined;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    sim = await startSimulatedModem();
  });
  afterEach(async () => {
    await trigger?.close();
    trigger = undefined;
    await closeAllModems();
    await sim.stop();
  });

  const activate = async (parameters: Record<string, unknown> = {}): Promise<ActiveTrigger> => {
    trigger = await activateTrigger({
      type: TRIGGER,
      nodeType: triggerNodeTypes[TRIGGER],
      parameters: { source: 'modem', ...parameters },
      credentials: { gsmModemApi: { devicePath: sim.path } },
      credentialRefs: { gsmModemApi: { id: 'cred-modem', name: 'USB modem' } },
      credentialTypes: [new GsmModemApi()],
    });
    return trigger;
  };

  it('joins a long incoming SMS into one event, then the modem deletes its parts from the SIM', async () => {
    const t = await activate();
    const text = 'Meeting moved to 3pm in room 4B; bring the signed contracts and the site photos please. '.repeat(3);
    sim.simulator.receiveSms({ from: '+447911123456', text });
    await waitFor(() => t.emitted.length === 1 && sim.simulator.storage.used === 0, 'the event and the deletion');
    expect(t.emitted[0].json).toMatchObject({ type: 'message', from: '+447911123456', text, parts: 2, encoding: 'gsm7', smsc: `modem:${sim.path}` });
  });

  it('reads messages that waited on the SIM while no trigger listened', async () => {
    sim.simulator.receiveSms({ from: '+447911123456', text: 'sent while n8n was down' }, false);
    const t = await activate();
    await waitFor(() => t.emitted.length === 1, 'the stored message');
    expect(t.emitted[0].json).toMatchObject({ text: 'sent while n8n was down' });
  });

  it('turns a status report into a receipt event', async () => {
    const t = await activate({ events: ['receipt'] });
    sim.simulator.receiveSms({ from: '+447911123456', text: 'not a receipt' });
    sim.simulator.receiveStatusReport({ messageReference: 42, recipient: '+447911123456', status: 0 });
    await waitFor(() => t.emitted.length === 1, 'the receipt');
    expect(t.emitted[0].json).toMatchObject({ type: 'receipt', messageId: '42', status: 'DELIVRD', to: '+447911123456' });
  });

  it('records a STOP reply on the opt-out list', async () => {
    const t = await activate({ optOutList: 'modem-test' });
    sim.simulator.receiveSms({ from: '+447911123456', text: 'STOP' });
    await waitFor(() => t.emitted.length === 1, 'the event');
    expect(t.emitted[0].json).toMatchObject({ optOut: 'added' });
    const store = processWide('memoryOptOut', () => new MemoryOptOutStore());
    expect(await store.filterOptedOut('modem-test', ['+447911123456'])).toEqual(new Set(['+447911123456']));
  });

  it('lets go of the serial port when the workflow is deactivated', async () => {
    const t = await activate();
    expect(modemRegistryUsers({ path: sim.path })).toBe(1);
    await t.close();
    trigger = undefined;
    expect(modemRegistryUsers({ path: sim.path })).toBe(0);
  });
});
