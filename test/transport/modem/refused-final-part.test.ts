/**
 * SMS Trigger on a GSM modem (simulator on a pty, parts stored on the SIM and announced with
 * +CMTI, fed part by part to the InboundPipeline as modem-source.ts does). The README promises
 * parts are deleted only after the workflow took them, so nothing is lost. Attack: the workflow
 * fails once for the part that completes a long message; later the modem reconnects (rescan).
 * The whole message must reach the workflow once; no part may leave the SIM before that.
 */
import { compileEventFilter } from '../../../src/inbound/event-filter';
import type { InboundEvent, MessageEvent } from '../../../src/inbound/inbound-event';
import { InboundPipeline } from '../../../src/inbound/inbound-pipeline';
import { deliverPdus } from '../../../src/transport/modem/simulator/sim-messages';
import { startModemFixture, waitFor } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';

const A = 'Bridge at Mill Road is flooded, we are on the roof of number 12 with two children. '.repeat(2);
const FROM = '+4915112345678';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('modem trigger path: the workflow fails once for the completing part', () => {
  let fixture: ModemFixture | undefined;
  let pipeline: InboundPipeline | undefined;
  afterEach(async () => {
    pipeline?.close();
    await fixture?.stop();
  });

  it('the whole message is emitted once, and no part is deleted from the SIM before it was', async () => {
    let clock = 1_000_000;
    fixture = await startModemFixture({}, { concatTimeoutMs: 600_000, keepAliveMs: 0, now: () => clock });
    const events: InboundEvent[] = [];
    let failNext = true;
    let completingSeen = 0;
    pipeline = new InboundPipeline({
      smsc: fixture.modem.label,
      source: 'modem',
      filter: compileEventFilter({ eventTypes: ['message'] }),
      reassembly: { timeoutMs: 60_000, now: () => clock },
      deliver: async (event) => {
        completingSeen++;
        if (failNext) {
          failNext = false;
          throw new Error('n8n could not start the execution');
        }
        events.push(event);
      },
    });
    const p = pipeline;
    // Registered as modem-source.ts does: the modem asks the pipeline whether it still keeps a part.
    fixture.modem.addInboundHandler((message) => p.handleDeliver(message), { holds: (message) => p.holds(message) });
    const f = fixture;
    const arrive = async (pdu: Buffer): Promise<void> => {
      const stored = f.sim.simulator.storage.store(pdu);
      if (!stored) throw new Error('SIM full');
      f.sim.bridge.write(`\r\n+CMTI: "SM",${stored.index}\r\n`);
      await sleep(200);
    };
    const [p1, p2] = deliverPdus({ from: FROM, text: A, reference: 5 }, new Date(clock));
    await arrive(p1);
    await arrive(p2);
    await waitFor(() => completingSeen >= 1, 'the workflow to be asked (and fail)');
    const usedAfterFailure = f.sim.simulator.storage.used;
    // Time passes (the modem's own wait for parts, 10 minutes), then the modem reconnects and rescans.
    clock += 600_000;
    await f.modem.flushIncomplete();
    const usedAfterModemTimeout = f.sim.simulator.storage.used;
    await f.sim.vanish();
    await waitFor(() => f.modem.state === 'reconnecting', 'the unplug');
    await f.sim.restore();
    await waitFor(() => f.modem.state === 'ready', 'the reconnect');
    await sleep(500);
    clock += 60_000;
    p.expireIncomplete();
    await f.modem.flushIncomplete();
    await sleep(200);
    const seen = events.map((e) => ({ text: (e as MessageEvent).text, incomplete: (e as MessageEvent).incomplete ?? false }));
    expect({ usedAfterFailure, usedAfterModemTimeout, seen }).toEqual({
      usedAfterFailure: 2,
      usedAfterModemTimeout: 2,
      seen: [{ text: A, incomplete: false }],
    });
  });
});
