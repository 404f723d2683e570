import * as smpp from 'smpp';

export interface ThroughputRun {
  messages: number;
  seconds: number;
  perSecond: number;
  cpuMicrosPerMessage: number;
}

type SubmitFn = (options: Record<string, unknown>, callback: (pdu: smpp.PDU) => void) => void;

/**
 * The baseline: a plain client written on the `smpp` library the way its README shows, with the
 * simplest correct window (at most `window` submit_sm without a response).
 */
export interface RawClientTarget {
  host?: string;
  systemId?: string;
  password?: string;
  /** Destinations used in turn (default: 447000000000 + i, for a local sink). */
  destinations?: string[];
  source?: string;
}

export async function runRawClient(port: number, count: number, window: number, target: RawClientTarget = {}): Promise<ThroughputRun> {
  const session = smpp.connect({ host: target.host ?? '127.0.0.1', port });
  const to = target.destinations;
  await new Promise<void>((resolve, reject) => {
    session.on('error', reject);
    (session.bind_transceiver as SubmitFn)({ system_id: target.systemId ?? 'sandbox', password: target.password ?? 'sandbox' }, (pdu) =>
      pdu.command_status === 0 ? resolve() : reject(new Error(`bind failed: ${pdu.command_status}`)),
    );
  });
  const submit = (session.submit_sm as SubmitFn).bind(session);
  const cpu = process.cpuUsage();
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    let sent = 0;
    let done = 0;
    const sendOne = (): void => {
      const i = sent++;
      submit(
        { source_addr: target.source ?? 'BENCH', destination_addr: to ? to[i % to.length] : String(447000000000 + i), short_message: 'Benchmark message' },
        (pdu) => {
          if (pdu.command_status !== 0) return reject(new Error(`submit failed: ${pdu.command_status}`));
          done++;
          if (done === count) resolve();
          else if (sent < count) sendOne();
        },
      );
    };
    for (let i = 0; i < Math.min(window, count); i++) sendOne();
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await new Promise<void>((resolve) => (session.unbind as (cb: () => void) => void)(() => resolve()));
  session.close();
  return { messages: count, seconds, perSecond: count / seconds, cpuMicrosPerMessage: (used.user + used.system) / count };
}
