/**
 * Test helper: the simulator on a real pty behind a port that can rewrite, delay or split what the
 * modem writes (`writeHook`) and intercept what the host writes (`readHook`). For faults no
 * modem profile has (a modem busy after power-on, a vendor's odd error wording, NUL padding).
 */
import { GsmModem } from '../../../src/transport/modem/gsm-modem';
import type { GsmModemOptions } from '../../../src/transport/modem/types';
import { ModemSimulator, PtyBridge } from '../../../src/transport/modem/simulator';
import type { ModemSimulatorOptions, SimulatorPort } from '../../../src/transport/modem/simulator';

export type WriteHook = (data: string, send: (text: string) => void) => void;
export type ReadHook = (chunk: string, deliver: (chunk: string) => void) => void;

export class HookedPort implements SimulatorPort {
  writeHook: WriteHook | null = null;
  readHook: ReadHook | null = null;
  /** Everything the host wrote, as it arrived. */
  readonly hostWrote: string[] = [];

  constructor(private readonly bridge: PtyBridge) {}

  write(data: string | Buffer): void {
    const text = typeof data === 'string' ? data : data.toString('latin1');
    const send = (out: string): void => this.bridge.write(Buffer.from(out, 'latin1'));
    if (this.writeHook) this.writeHook(text, send);
    else send(text);
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.bridge.onData((chunk) => {
      const text = chunk.toString('latin1');
      this.hostWrote.push(text);
      const deliver = (out: string): void => listener(Buffer.from(out, 'latin1'));
      if (this.readHook) this.readHook(text, deliver);
      else deliver(text);
    });
  }

  /** Writes to the host as if the modem had. */
  raw(text: string): void {
    this.bridge.write(Buffer.from(text, 'latin1'));
  }
}

export interface HookedModem {
  port: HookedPort;
  sim: ModemSimulator;
  modem: GsmModem;
  path: string;
  log: string[];
  stop(): Promise<void>;
}

export async function startHookedModem(
  simOptions: ModemSimulatorOptions = {},
  modemOptions: Partial<GsmModemOptions> = {},
  setup?: (parts: { port: HookedPort; sim: ModemSimulator }) => void,
  open = true,
): Promise<HookedModem> {
  const bridge = await PtyBridge.start();
  const port = new HookedPort(bridge);
  const sim = new ModemSimulator(port, simOptions);
  sim.unplug = () => void bridge.vanish();
  setup?.({ port, sim });
  const log: string[] = [];
  const modem = new GsmModem({
    path: bridge.path,
    commandTimeoutMs: 3000,
    sendTimeoutMs: 3000,
    retryDelayMs: 20,
    reconnectBaseMs: 50,
    reconnectMaxMs: 200,
    keepAliveMs: 0,
    log: (line) => log.push(line),
    ...modemOptions,
  });
  const hooked: HookedModem = {
    port,
    sim,
    modem,
    path: bridge.path,
    log,
    stop: async () => {
      await modem.close().catch(() => undefined);
      sim.dispose();
      await bridge.stop();
    },
  };
  if (open) {
    try {
      await modem.open();
    } catch (err) {
      await hooked.stop();
      throw err;
    }
  }
  return hooked;
}
