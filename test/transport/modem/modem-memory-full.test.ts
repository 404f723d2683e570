/**
 * A message memory that filled while nobody listened (the workflow was off for a weekend): the
 * network keeps what comes meanwhile (TS 24.011 "memory capacity exceeded") and delivers it once
 * a slot is free. When the SMS Trigger starts it must read and delete what is stored, and then
 * receive every message the network held: none lost, each once, in order.
 */
import { startModemFixture, waitFor } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';

describe('a full message memory when the trigger starts', () => {
  let fixture: ModemFixture;
  afterEach(async () => {
    await fixture.stop();
  });

  it('reads what is stored, frees the memory, and then gets every message the network held', async () => {
    fixture = await startModemFixture({ profile: 'ec25', storageSize: 2, meStorageSize: 1, overrides: { startupMs: 150 } });
    const sim = fixture.sim.simulator;
    for (const text of ['stored 1', 'stored 2', 'stored 3']) sim.receiveSms({ from: '+4915112345678', text });
    expect(sim.memories.get('MT')?.full).toBe(true);
    for (const text of ['held 1', 'held 2']) expect(sim.receiveSms({ from: '+4915112345678', text })).toEqual([]);
    const texts: string[] = [];
    fixture.modem.addTextHandler((m) => {
      texts.push(m.text);
    });
    await waitFor(() => texts.length === 5 && sim.memories.get('MT')?.used === 0, 'every message, and the memory empty');
    expect(texts).toEqual(['stored 1', 'stored 2', 'stored 3', 'held 1', 'held 2']);
  });
});
