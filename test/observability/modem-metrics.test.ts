/**
 * A GSM modem's registration and signal in the metrics and the log, against the modem simulator
 * on a real pseudo-terminal: the signal fades and comes back, the network denies registration and
 * takes the modem back, the device is unplugged. Gauges read through a real prom-client Registry;
 * a healthy modem writes nothing at info or above.
 */
process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
process.env.SMS_GATEWAY_MODEM_HEALTH_MS = '100';
import { acquireModem, closeAllModems, modemKey } from '../../src/registry/modem-registry';
import { resetGatewayLog } from '../../src/observability/gateway-log';
import { startSimulatedModem } from '../../src/transport/modem/simulator';
import type { SimulatedModem } from '../../src/transport/modem/simulator';
import { ArrayLogger, registryWithGatewayMetrics, seriesOf } from '../support/gateway-observer';

describe("a GSM modem's registration and signal in the metrics and the log", () => {
  let sim: SimulatedModem;
  let logger: ArrayLogger;
  beforeEach(() => {
    logger = new ArrayLogger();
    resetGatewayLog(undefined, logger);
  });
  afterEach(async () => {
    await closeAllModems();
    await sim?.stop();
    resetGatewayLog();
  });

  it('follows the signal and the registration; lines only on changes, naming the device', async () => {
    sim = await startSimulatedModem({ rssi: 25, operatorName: 'Test Net' });
    const lease = await acquireModem({ path: sim.path, keepAliveMs: 0 });
    const name = modemKey({ path: sim.path });
    const registry = registryWithGatewayMetrics();
    const gauges = async () => ({
      registered: (await seriesOf(registry, 'sms_gateway_modem_registered', name))[''],
      dbm: (await seriesOf(registry, 'sms_gateway_modem_signal_dbm', name))[''],
    });
    const until = async (expected: { registered?: number; dbm?: number }, what: string): Promise<void> => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const seen = await gauges();
        if (seen.registered === expected.registered && seen.dbm === expected.dbm) return;
        if (Date.now() > deadline) throw new Error(`${what}: the gauges are ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const notable = () => logger.lines.filter((line) => line.level !== 'debug').map((line) => [line.level, line.message]);

    await until({ registered: 1, dbm: -63 }, 'the first reading');
    // Healthy: nothing at info or above.
    expect(notable()).toEqual([]);

    sim.simulator.setSignal(5);
    await until({ registered: 1, dbm: -103 }, 'a weak signal');
    sim.simulator.setSignal(99);
    await until({ registered: 1, dbm: undefined }, 'no signal: no series');
    sim.simulator.setSignal(20);
    await until({ registered: 1, dbm: -73 }, 'the signal back');
    sim.simulator.setRegistration(3);
    await until({ registered: 0, dbm: -73 }, 'registration denied');
    sim.simulator.setRegistration(5);
    await until({ registered: 1, dbm: -73 }, 'roaming');
    expect(notable()).toEqual([
      ['warn', `SMS Gateway: Modem "${name}" signal weak: -103 dBm`],
      ['warn', `SMS Gateway: Modem "${name}" reports no signal`],
      ['info', `SMS Gateway: Modem "${name}" signal usable again: -73 dBm`],
      ['warn', `SMS Gateway: Modem "${name}" network registration: denied`],
      ['info', `SMS Gateway: Modem "${name}" network registration: roaming`],
    ]);
    expect(logger.lines.map((line) => line.fields?.credential)).toEqual(logger.lines.map(() => name));

    // Unplugged: not registered, no signal, until it is back.
    await sim.vanish();
    await until({ registered: 0, dbm: undefined }, 'the device lost');
    await sim.restore();
    await until({ registered: 1, dbm: -73 }, 'the device back');

    await lease.release();
    await closeAllModems();
    // A closed modem has no series left.
    expect(await seriesOf(registry, 'sms_gateway_modem_registered', name)).toEqual({});
    expect(await seriesOf(registry, 'sms_gateway_modem_signal_dbm', name)).toEqual({});
  });
});
