/** Test helper: a GsmModem on a simulated modem behind a real pseudo-terminal, with fast timers. */
import { GsmModem } from '../../../src/transport/modem/gsm-modem';
import type { GsmModemOptions } from '../../../src/transport/modem/types';
import { startSimulatedModem } from '../../../src/transport/modem/simulator';
import type { ModemSimulatorOptions, SimulatedModem } from '../../../src/transport/modem/simulator';

/** +CNMI support of a modem that stores status reports (<ds> 2) and never forwards them (<ds> 1). */
export const REPORTS_STORED_ONLY = { mode: [0, 1, 2], mt: [0, 1, 2, 3], bm: [0, 2], ds: [0, 2], bfr: [0, 1] };

export interface ModemFixture {
  sim: SimulatedModem;
  modem: GsmModem;
  log: string[];
  stop(): Promise<void>;
}

export async function startModemFixture(
  simOptions: ModemSimulatorOptions = {},
  modemOptions: Partial<GsmModemOptions> = {},
  open = true,
): Promise<ModemFixture> {
  const sim = await startSimulatedModem(simOptions);
  const log: string[] = [];
  const modem = new GsmModem({
    path: sim.path,
    commandTimeoutMs: 3000,
    sendTimeoutMs: 3000,
    retryDelayMs: 20,
    reconnectBaseMs: 50,
    reconnectMaxMs: 200,
    keepAliveMs: 100,
    log: (line) => log.push(line),
    ...modemOptions,
  });
  const fixture: ModemFixture = {
    sim,
    modem,
    log,
    stop: async () => {
      await modem.close();
      await sim.stop();
    },
  };
  if (open) {
    try {
      await modem.open();
    } catch (err) {
      await sim.stop();
      throw err;
    }
  }
  return fixture;
}

/** Waits until check() is true, polling; fails with `what` after timeoutMs. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
