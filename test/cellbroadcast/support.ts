import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { CellBroadcastClient } from '../../src/cellbroadcast/cell-broadcast-client';
import type { CellBroadcastClientOptions } from '../../src/cellbroadcast/cell-broadcast-client';
import type { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';

/** A clock the test moves by hand; the sandbox centre reads broadcast states from it. */
export class ManualClock {
  constructor(public value = Date.UTC(2026, 10, 26, 6, 0, 0)) {}
  readonly now = (): number => this.value;
  advance(seconds: number): void {
    this.value += seconds * 1000;
  }
}

export interface CentreFixture {
  smsc: SandboxSmsc;
  clock: ManualClock;
  client: CellBroadcastClient;
  transport: SmppTransport;
  stop(): Promise<void>;
}

/** A sandbox with its cell broadcast centre on a manual clock, and a client bound as SMPP 5.0. */
export async function startCentre(clientOptions: CellBroadcastClientOptions = {}): Promise<CentreFixture> {
  const smsc = await startSandbox();
  const clock = new ManualClock();
  smsc.cellBroadcast.configure({ clock: clock.now });
  const { client, transport } = await CellBroadcastClient.connect(sandboxTransportOptions(smsc), { now: clock.now, ...clientOptions });
  return {
    smsc,
    clock,
    client,
    transport,
    stop: async () => {
      await transport.close();
      await smsc.stop();
    },
  };
}

/** A river-district polygon (CAP fixture order: lat,lon), closed like CAP writes it. */
export const RIVER_POLYGON: Array<[number, number]> = [
  [51.5, -0.13],
  [51.51, -0.12],
  [51.5, -0.11],
  [51.49, -0.12],
  [51.5, -0.13],
];
