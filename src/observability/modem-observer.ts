/** A GSM modem in the logs and the status board (its queue as a metric). */
import type { GsmModem } from '../transport/modem/gsm-modem';
import { registerConnection } from './connection-board';
import { reportEvent } from './gateway-log';

/** `name` labels it: the device path (a local port, not a secret). */
export function observeModem(modem: GsmModem, name: string): () => void {
  let state = 'ready';
  modem.on('disconnected', (info) => {
    state = 'disconnected';
    reportEvent({ type: 'modem.registration', credential: name, status: `device lost: ${info.reason}`, registered: false });
  });
  modem.on('reconnected', () => {
    state = 'ready';
    reportEvent({ type: 'modem.registration', credential: name, status: 'device back', registered: true });
  });
  modem.once('gaveUp', () => { state = 'gave up'; });
  const unregister = registerConnection({
    credential: name,
    kind: 'modem',
    describe: () => ({ credential: name, kind: 'modem', state, up: state === 'ready', queued: modem.queuedParts }),
  });
  modem.once('closed', unregister);
  return unregister;
}
