/**
 * A message the workflow took is deleted from the SIM right after; if the modem restarts (or is
 * unplugged) between the two, the message is still on the SIM at the next scan. It must then be
 * deleted, not handed to the workflow a second time: an alert reply counted twice, an opt-out
 * logged twice.
 */
import { waitFor } from './modem-fixture';
import { startHookedModem } from './hooked-modem';
import type { HookedModem } from './hooked-modem';

describe('a delete cut off by a modem restart', () => {
  let hooked: HookedModem;
  afterEach(async () => {
    await hooked.stop();
  });

  it('deletes the message the workflow already took at the next scan, without handing it out again', async () => {
    let cutOff = false;
    hooked = await startHookedModem({ profile: 'sim800', overrides: { startupMs: 150 } }, {}, ({ port, sim }) => {
      // The first delete never reaches the modem: it restarts (a SIM800 browning out) instead.
      port.readHook = (chunk, deliver) => {
        if (!cutOff && chunk.startsWith('AT+CMGD=')) {
          cutOff = true;
          sim.reset();
          return;
        }
        deliver(chunk);
      };
    });
    const texts: string[] = [];
    hooked.modem.addTextHandler((m) => {
      texts.push(m.text);
    });
    hooked.sim.receiveSms({ from: '+4915112345678', text: 'Reply YES to confirm the shelter' });
    await waitFor(() => cutOff && hooked.sim.storage.used === 0 && hooked.modem.state === 'ready', 'the message deleted after the restart', 20_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(texts).toEqual(['Reply YES to confirm the shelter']);
  });
});
