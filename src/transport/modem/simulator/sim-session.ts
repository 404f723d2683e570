/** The settings a modem has after power-on or ATZ/AT&F, and a fresh SIM session. */
import type { ModemSettings, SimulatorSession } from './command-context';
import type { ModemProfile } from './modem-profiles';

export function defaultSettings(profile: ModemProfile): ModemSettings {
  const memory = profile.memories[0];
  return {
    echo: profile.echo,
    verbose: true,
    quiet: false,
    cmee: 0,
    cmgf: profile.smsModes.includes(0) ? 0 : 1,
    cscs: profile.charsets.includes('IRA') ? 'IRA' : profile.charsets[0],
    cnmi: [0, 0, 0, 0, 0],
    csdh: 0,
    csmp: [17, 167, 0, 0],
    cmms: 0,
    csms: profile.csms ?? 0,
    cpms: [memory, memory, memory],
    registrationUrcs: { '+CREG': 0, '+CGREG': 0, '+CEREG': 0 },
    noise: true,
  };
}

export interface SessionOptions {
  pin?: string;
  puk?: string;
  simInserted?: boolean;
  smsc?: string;
}

export function newSession(profile: ModemProfile, options: SessionOptions, smsc: string): SimulatorSession {
  const starting = profile.startupMs > 0;
  return {
    settings: defaultSettings(profile),
    sim: options.simInserted === false ? 'NOT INSERTED' : starting ? 'NOT READY' : options.pin ? 'SIM PIN' : 'READY',
    pin: options.pin,
    puk: options.puk ?? '12345678',
    pinAttempts: 3,
    pukAttempts: 10,
    functionality: 1,
    starting,
    smsc,
    nextReference: 1,
  };
}

/** The SIM's state once start-up is over. */
export function simAfterStartup(options: SessionOptions): SimulatorSession['sim'] {
  if (options.simInserted === false) return 'NOT INSERTED';
  return options.pin ? 'SIM PIN' : 'READY';
}
