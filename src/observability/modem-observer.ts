/**
 * A GSM modem in the logs, the metrics and the status board: its queue, and its network
 * registration and signal, read with AT+CREG?/+CEREG?/+CGREG? and AT+CSQ every minute
 * (SMS_GATEWAY_MODEM_HEALTH_MS) while it has nothing to send (the AT channel queues the reads
 * behind a send, so they are skipped rather than made to wait).
 */
import type { GsmModem } from '../transport/modem/gsm-modem';
import type { Registration, SignalQuality } from '../transport/modem/types';
import { registerConnection } from './connection-board';
import { reportEvent } from './gateway-log';
import type { SignalBand } from './gateway-events';
import { gatewayMetrics } from './gateway-metrics';

const DEFAULT_HEALTH_EVERY_MS = 60_000;

/** CSQ 9 and below (-95 dBm or less) is "marginal" in modem makers' tables: sends start to fail. */
export function signalBand(signal: SignalQuality): SignalBand {
  if (signal.dbm === null) return 'none';
  return signal.rssi <= 9 ? 'weak' : 'ok';
}

/** `name` labels it: the device path (a local port, not a secret). */
export function observeModem(
  modem: GsmModem,
  name: string,
  healthEveryMs = Number(process.env.SMS_GATEWAY_MODEM_HEALTH_MS) || DEFAULT_HEALTH_EVERY_MS,
): () => void {
  const m = gatewayMetrics();
  const registeredGauge = m.modemRegistered.child(name);
  let state = 'ready';
  let registration: Registration | undefined;
  let signal: SignalQuality | undefined;
  let band: SignalBand | undefined;

  const readHealth = async (): Promise<void> => {
    if (modem.state !== 'ready' || modem.queuedParts > 0) return;
    try {
      const now = await modem.registration();
      const changed = registration === undefined ? !now.registered : registration.status !== now.status;
      registration = now;
      registeredGauge.value = now.registered ? 1 : 0;
      // Quiet while healthy: the first reading is news only when it is bad.
      if (changed) reportEvent({ type: 'modem.registration', credential: name, status: now.status.replace('_', ' '), registered: now.registered });
    } catch {
      // A modem that cannot say (closing, a command it lacks): the last reading stands.
    }
    try {
      signal = await modem.signal();
      const now = signalBand(signal);
      if (now !== band && (band !== undefined || now !== 'ok')) reportEvent({ type: 'modem.signal', credential: name, dbm: signal.dbm, band: now });
      band = now;
      if (signal.dbm === null) m.modemSignal.forget(name);
      else m.modemSignal.set([name], signal.dbm);
    } catch {
      // As above.
    }
  };
  const timer = setInterval(() => void readHealth(), healthEveryMs);
  timer.unref();
  void readHealth();

  modem.on('disconnected', (info) => {
    state = 'disconnected';
    registeredGauge.value = 0;
    m.modemSignal.forget(name);
    reportEvent({ type: 'modem.registration', credential: name, status: `device lost: ${info.reason}`, registered: false });
  });
  modem.on('reconnected', () => {
    state = 'ready';
    reportEvent({ type: 'modem.registration', credential: name, status: 'device back', registered: true });
    registration = undefined;
    band = undefined;
    void readHealth();
  });
  modem.once('gaveUp', () => {
    state = 'gave up';
  });
  const unregister = registerConnection({
    credential: name,
    kind: 'modem',
    describe: () => ({
      credential: name,
      kind: 'modem',
      state,
      up: state === 'ready',
      queued: modem.queuedParts,
      registration: registration?.status ?? null,
      signalDbm: signal?.dbm ?? null,
    }),
  });
  const stop = (): void => {
    clearInterval(timer);
    unregister();
    // A closed modem has no registration or signal to show (one that gave up keeps 0 for the alert).
    if (state !== 'gave up') m.modemRegistered.forget(name);
    m.modemSignal.forget(name);
  };
  modem.once('closed', stop);
  return stop;
}
