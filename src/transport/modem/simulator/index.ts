/** A GSM modem simulator behind a real pseudo-terminal, for tests and the demo. */
import { ModemSimulator } from './modem-simulator';
import type { ModemSimulatorOptions } from './modem-simulator';
import { PtyBridge } from './pty-bridge';

export { ModemSimulator } from './modem-simulator';
export type { ModemSimulatorOptions, SentSms, SimulatorPort } from './modem-simulator';
export { MODEM_PROFILES, PROFILE_IDS, VENDOR_PROFILE_IDS, resolveProfile } from './modem-profiles';
export type { ModemProfile, ModemProfileId } from './modem-profiles';
export { PtyBridge } from './pty-bridge';
export type { IncomingSmsSpec, StatusReportSpec } from './sim-messages';

export interface SimulatedModem {
  /** The device path to open (a symlink to the pty slave, like /dev/serial/by-id/...). */
  path: string;
  simulator: ModemSimulator;
  bridge: PtyBridge;
  /** Unplugs the modem: the port closes under its user and the path disappears. */
  vanish(): Promise<void>;
  /** Plugs it back: the same path, a freshly started modem (PIN asked again). */
  restore(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSimulatedModem(options: ModemSimulatorOptions & { path?: string } = {}): Promise<SimulatedModem> {
  const bridge = await PtyBridge.start({ path: options.path });
  const simulator = new ModemSimulator(bridge, options);
  simulator.unplug = () => void bridge.vanish();
  return {
    path: bridge.path,
    simulator,
    bridge,
    vanish: () => bridge.vanish(),
    restore: async () => {
      simulator.reset({ announce: false });
      await bridge.restore();
      simulator.announceStartup();
    },
    stop: () => {
      simulator.dispose();
      return bridge.stop();
    },
  };
}
