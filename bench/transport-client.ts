import { SmppTransport } from '../src/transport/smpp/smpp-transport';
import { blankMessagePdu } from '../src/transport/smpp/pdu/message-pdu';
import type { MessagePdu } from '../src/transport/smpp/pdu/message-pdu';
import type { SmppTransportOptions } from '../src/transport/smpp/types';
import type { ThroughputRun } from './raw-smpp-client';

/** Our transport on the same sandbox: the same messages, the same window. */
export async function runTransport(port: number, count: number, window: number, extra: Partial<SmppTransportOptions> = {}): Promise<ThroughputRun> {
  const transport = new SmppTransport({
    host: '127.0.0.1',
    port,
    systemId: 'sandbox',
    password: 'sandbox',
    windowSize: window,
    enquireLinkMs: 0,
    maxQueued: 1_000_000,
    ...extra,
  });
  await transport.start();
  const run = await measureSubmits((pdu) => transport.submit(pdu), count, window * 2);
  await transport.close();
  return run;
}

/**
 * Submits `count` one-part messages through `submit` from `callers` concurrent callers (enough to
 * keep every window full, as the broadcast pipeline does) and measures the rate and this process's
 * CPU per message.
 */
export async function measureSubmits(submit: (pdu: MessagePdu) => Promise<unknown>, count: number, callers: number): Promise<ThroughputRun> {
  const text = Buffer.from('Benchmark message', 'latin1');
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const pdu = blankMessagePdu();
      pdu.source = { ton: 5, npi: 0, addr: 'BENCH' };
      pdu.destination = { ton: 1, npi: 1, addr: String(447000000000 + i) };
      pdu.shortMessage = text;
      await submit(pdu);
    }
  };
  await Promise.all(Array.from({ length: Math.min(count, callers) }, lane));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { messages: count, seconds, perSecond: count / seconds, cpuMicrosPerMessage: (used.user + used.system) / count };
}

/** Messages for about 3 s of sending at the window/latency bound (2,000 to 200,000). */
export function messagesForBound(window: number, latencyMs: number): number {
  return Math.min(200_000, Math.max(2000, Math.round(((window * 1000) / latencyMs) * 3)));
}
