/**
 * Parts of a long message wait on the SIM for the rest; the SIM does not stand still meanwhile:
 * the network repeats a part whose acknowledgement was lost, a sender's phone reuses a concat
 * reference, another program frees a slot and a new message lands in it, a memory switch
 * fails once with "SIM busy". Every message must still be delivered once, and nothing deleted
 * that was not delivered.
 */
import { deliverPdus } from '../../../src/transport/modem/simulator/sim-messages';
import { startModemFixture, waitFor } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';
import { startHookedModem } from './hooked-modem';
import type { HookedModem } from './hooked-modem';

const A = 'Bridge at Mill Road is flooded, we are on the roof of number 12 with two children. '.repeat(2);
const B = 'Second appeal: the water reached the first floor, the children are cold, please hurry. '.repeat(2);
const FROM = '+4915112345678';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('parts waiting on the SIM', () => {
  let fixture: ModemFixture;
  let texts: string[];
  afterEach(async () => {
    await fixture.stop();
  });

  async function start(): Promise<void> {
    fixture = await startModemFixture({}, { concatTimeoutMs: 1500, keepAliveMs: 0 });
    texts = [];
    fixture.modem.addTextHandler((m) => {
      texts.push(`${m.complete ? 'complete' : 'INCOMPLETE'} ${m.parts}/${m.totalParts}: ${m.text}`);
    });
  }

  /** Stores a PDU as the network would and announces it with +CMTI. */
  async function arrive(pdu: Buffer): Promise<number> {
    const stored = fixture.sim.simulator.storage.store(pdu);
    if (!stored) throw new Error('SIM full');
    fixture.sim.bridge.write(`\r\n+CMTI: "SM",${stored.index}\r\n`);
    await sleep(200);
    return stored.index;
  }

  it('deletes a second copy of a part (a repeated delivery) instead of delivering it again later', async () => {
    await start();
    const [p1, p2] = deliverPdus({ from: FROM, text: A, reference: 5 }, new Date());
    for (const pdu of [p1, p1, p2]) await arrive(pdu);
    await waitFor(() => texts.length === 1 && fixture.sim.simulator.storage.used === 0, 'the message and an empty SIM');
    // A reconnect (start-up scan) and the concat timeout later, nothing more comes out.
    await fixture.sim.vanish();
    await waitFor(() => fixture.modem.state === 'reconnecting', 'the unplug');
    await fixture.sim.restore();
    await waitFor(() => fixture.modem.state === 'ready', 'the reconnect');
    await sleep(1800);
    await fixture.modem.flushIncomplete();
    expect(texts).toEqual([`complete 2/2: ${A}`]);
  });

  it('never mixes two messages with the same reference: each part of the ambiguous reference is delivered alone, then deleted', async () => {
    await start();
    const [a1] = deliverPdus({ from: FROM, text: A, reference: 5 }, new Date());
    const [b1, b2] = deliverPdus({ from: FROM, text: B, reference: 5 }, new Date());
    for (const pdu of [a1, b1, b2]) await arrive(pdu);
    expect(texts).toEqual([]);
    await sleep(1600);
    await fixture.modem.flushIncomplete();
    expect(texts).toEqual([`INCOMPLETE 1/2: ${A.slice(0, 153)}`, `INCOMPLETE 1/2: ${B.slice(0, 153)}`, `INCOMPLETE 1/2: ${B.slice(153)}`]);
    expect(fixture.sim.simulator.storage.used).toBe(0);
  });

  it("reads a new message that lands in the slot of a waiting part, and never deletes it in the part's place", async () => {
    await start();
    const [a1] = deliverPdus({ from: FROM, text: A, reference: 9 }, new Date());
    const slot = await arrive(a1);
    // Another program (or a phone holding the SIM) deletes that slot; a new SMS then lands in it.
    fixture.sim.simulator.storage.delete(slot);
    fixture.sim.simulator.receiveSms({ from: '+4917000000000', text: 'URGENT: call me back' });
    await waitFor(() => texts.length === 1, 'the new message');
    expect(texts).toEqual(['complete 1/1: URGENT: call me back']);
    await sleep(1600);
    await fixture.modem.flushIncomplete();
    expect(texts[1]).toMatch(/^INCOMPLETE 1\/2: Bridge at Mill Road/);
    expect(fixture.sim.simulator.storage.used).toBe(0);
  });

  it('checks a waiting part is still in its slot before deleting it', async () => {
    await start();
    const [a1, a2] = deliverPdus({ from: FROM, text: A, reference: 11 }, new Date());
    const slot = await arrive(a1);
    // The slot is emptied and refilled without a +CMTI reaching us (it was lost while we were busy).
    fixture.sim.simulator.storage.delete(slot);
    fixture.sim.simulator.receiveSms({ from: '+4917000000000', text: 'not yet announced' }, false);
    await arrive(a2);
    await waitFor(() => texts.length === 1, 'the long message, from the part it still holds');
    expect(fixture.sim.simulator.storage.list(4).map((s) => s.index)).toEqual([slot]);
  });
});

describe('a memory switch that fails once', () => {
  let hooked: HookedModem;
  afterEach(async () => {
    await hooked.stop();
  });

  it('selects the memory again before the next read instead of reading the wrong one', async () => {
    hooked = await startHookedModem({ profile: 'ec25', overrides: { startupMs: 100 } });
    const texts: string[] = [];
    const reports: string[] = [];
    hooked.modem.addTextHandler((m) => {
      texts.push(m.text);
    });
    hooked.modem.addInboundHandler((m) => {
      if (m.modem.kind === 'statusReport') reports.push(m.modem.receipt.messageId);
    });
    await sleep(300);
    // Back to "SM" after reading the report in "ME": the SIM is busy for every try of the first switch.
    let busy = 3;
    hooked.port.readHook = (chunk, deliver) => {
      if (chunk === 'AT+CPMS="SM"\r' && busy > 0) {
        busy--;
        hooked.port.raw('\r\n+CMS ERROR: 314\r\n');
        return;
      }
      deliver(chunk);
    };
    const sent = await hooked.modem.send({ to: '+447911123456', text: 'hello', requestReceipt: true });
    hooked.sim.receiveStatusReport({ messageReference: sent.messageReferences[0], recipient: '+447911123456' });
    await waitFor(() => reports.length === 1, 'the report');
    hooked.sim.receiveSms({ from: FROM, text: 'new SMS into SM after the failed switch' });
    await waitFor(() => texts.length === 1 && hooked.sim.storage.used === 0, 'the new SMS, read from SM', 8000);
    expect(texts).toEqual(['new SMS into SM after the failed switch']);
  });
});
