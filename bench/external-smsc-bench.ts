/**
 * The throughput rows against the user's SMSC (see smsc-options.ts): for each window, our
 * transport and the raw `smpp` client each send `count` real messages to the given numbers in
 * turn; throughput and CPU per message (this process) side by side. Written to
 * bench/results-smsc.json, never over the local results.
 */
import * as os from 'os';
import { SmppTransport } from '../src/transport/smpp/smpp-transport';
import { blankMessagePdu } from '../src/transport/smpp/pdu/message-pdu';
import { runRawClient } from './raw-smpp-client';
import type { ThroughputRun } from './raw-smpp-client';
import { result } from './bench-result';
import type { BenchResult } from './bench-result';
import type { ExternalSmsc } from './smsc-options';

export function smscWarning(smsc: ExternalSmsc): string {
  const total = smsc.count * smsc.windows.length * 2;
  return [
    '',
    '  WARNING: this sends REAL SMS messages.',
    `  ${total} messages in all (${smsc.count} per client per window, windows ${smsc.windows.join(', ')}) through ${smsc.host}:${smsc.port} as "${smsc.systemId}",`,
    `  from "${smsc.from}", only to these numbers, in turn: ${smsc.to.join(', ')}`,
    '  Your carrier may charge for every one. Text: "Benchmark message".',
    '',
  ].join('\n');
}

async function runOurs(smsc: ExternalSmsc, window: number): Promise<ThroughputRun> {
  const transport = new SmppTransport({
    host: smsc.host,
    port: smsc.port,
    systemId: smsc.systemId,
    password: smsc.password,
    tls: smsc.tls,
    allowSelfSigned: smsc.allowSelfSigned,
    windowSize: window,
    enquireLinkMs: 0,
    maxQueued: 1_000_000,
    reconnectAttempts: 2,
  });
  await transport.start();
  const text = Buffer.from('Benchmark message', 'latin1');
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  let failed = 0;
  const lane = async (): Promise<void> => {
    while (next < smsc.count) {
      const i = next++;
      const pdu = blankMessagePdu();
      pdu.source = /^\+?\d+$/.test(smsc.from) ? { ton: 1, npi: 1, addr: smsc.from.replace(/^\+/, '') } : { ton: 5, npi: 0, addr: smsc.from };
      pdu.destination = { ton: 1, npi: 1, addr: smsc.to[i % smsc.to.length].slice(1) };
      pdu.shortMessage = text;
      pdu.registeredDelivery = 0;
      await transport.submit(pdu).catch(() => failed++);
    }
  };
  await Promise.all(Array.from({ length: Math.min(smsc.count, window * 2) }, lane));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await transport.close();
  if (failed > 0) console.log(`  (ours, window ${window}: the SMSC refused ${failed} of ${smsc.count})`);
  return { messages: smsc.count, seconds, perSecond: (smsc.count - failed) / seconds, cpuMicrosPerMessage: (used.user + used.system) / smsc.count };
}

export async function benchExternalSmsc(smsc: ExternalSmsc): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const where = `${smsc.host}:${smsc.port}`;
  console.log(
    `your SMSC ${where}: load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const window of smsc.windows) {
    let raw: ThroughputRun | null = null;
    if (!smsc.tls) {
      try {
        raw = await runRawClient(smsc.port, smsc.count, window, {
          host: smsc.host,
          systemId: smsc.systemId,
          password: smsc.password,
          destinations: smsc.to.map((n) => n.slice(1)),
          source: smsc.from,
        });
      } catch (err) {
        // The plain client gives up at the first refusal (it has no retry): our row still runs.
        console.log(`  (raw smpp client, window ${window}: ${(err as Error).message})`);
      }
    }
    const ours = await runOurs(smsc, window);
    console.log(
      `your SMSC, window ${window}: ours ${Math.round(ours.perSecond)} msg/s (${ours.cpuMicrosPerMessage.toFixed(1)} µs CPU/msg)${raw ? `, raw smpp ${Math.round(raw.perSecond)} msg/s (${raw.cpuMicrosPerMessage.toFixed(1)} µs CPU/msg)` : ' (the raw client is not run over TLS)'}`,
    );
    results.push(
      result(
        `your SMSC ${where}: transport throughput, window ${window}`,
        'msg/s',
        ours.perSecond,
        raw?.perSecond ?? null,
        raw ? 'raw smpp client' : undefined,
      ),
    );
    results.push(
      result(
        `your SMSC ${where}: transport CPU per message, window ${window}`,
        'µs',
        ours.cpuMicrosPerMessage,
        raw?.cpuMicrosPerMessage ?? null,
        raw ? 'raw smpp client' : undefined,
      ),
    );
  }
  return results;
}
