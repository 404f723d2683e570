/**
 * A CSV file at a stalled SMSC: the file must be read only as fast as the send window takes
 * messages. 500,000 rows are offered by a stream that counts what it hands out; while the SMSC
 * stalls, the reader stops a few thousand rows in (the validated-ahead limit plus parser buffers),
 * not at the end of the file, and closing the transport stops the broadcast and the read.
 */
import { Readable } from 'stream';
import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import type { BroadcastRecipient } from '../../src/broadcast/broadcast-types';
import { csvNumberBatches } from '../../src/broadcast/csv-recipients';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { sandboxTransportOptions, startSandbox, waitFor } from '../support/sandbox';

const ROWS = 500_000;
const WINDOW = 100;

describe('a CSV broadcast at a stalled SMSC', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport;
  beforeAll(async () => {
    smsc = await startSandbox({ recordMode: 'count', maxStoredMessages: 10 });
    transport = new SmppTransport(sandboxTransportOptions(smsc, { windowSize: WINDOW, maxQueued: 10_000, responseTimeoutMs: 60_000 }));
    await transport.start();
  });
  afterAll(async () => {
    await transport.close(0);
    await smsc.stop();
  });

  it(`reads ${ROWS.toLocaleString('en')} rows only as fast as they are sent, and stops reading when the broadcast stops`, async () => {
    let rowsRead = 0;
    const file = Readable.from(
      (function* () {
        yield '"name","phone"\r\n';
        for (let i = 0; i < ROWS; i += 500) {
          rowsRead += 500;
          let chunk = '';
          for (let j = i; j < i + 500; j++) chunk += `"Resident, ${j}",+4479${String(j).padStart(8, '0')}\r\n`;
          yield chunk;
        }
      })(),
    );
    async function* recipients(): AsyncGenerator<BroadcastRecipient[]> {
      for await (const batch of csvNumberBatches(file, { column: 'phone', field: 'csvPhoneColumn', sourceName: 'CSV file' })) {
        yield batch.map(({ to, row }) => ({ to, text: 'Flood warning: move to higher ground now.', itemIndex: 0, row }));
      }
    }
    smsc.setFaults({ stalled: true });
    const running = runBroadcast(recipients(), {
      broadcastId: `csv-stalled-${Date.now()}`,
      sender: transport,
      defaults: { from: 'CITYALERT' },
      message: {},
      journal: new MemoryBroadcastJournal(),
      collectResults: false,
    }).then(
      () => null,
      (err: unknown) => err,
    );
    await waitFor(() => transport.metrics().inFlight === WINDOW, 'the window to fill', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const readWhileStalled = rowsRead;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Stalled: the read stopped, a few thousand rows in (10,000 validated ahead at most, plus buffers).
    expect(rowsRead).toBe(readWhileStalled);
    expect(rowsRead).toBeLessThan(30_000);
    expect(smsc.stats.submits).toBe(WINDOW);

    await transport.close(100);
    expect(await running).toBeInstanceOf(Error);
    expect(file.destroyed).toBe(true);
    expect(rowsRead).toBeLessThan(30_000);
  }, 120_000);
});
