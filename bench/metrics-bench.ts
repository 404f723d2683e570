/**
 * What the metrics cost on the transport's hot path (issue 20: < 1 µs CPU per message): the same
 * transport, messages and sandbox, with and without the SubmitObserver the registry attaches
 * (per-answer counts by status, the latency histogram, the id kept for the receipt latency).
 * Runs alternate (without, with, without, ...) so drift on a shared machine hits both; the
 * medians are compared.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { receiptFromPdu, receiptOf } from '../src/dlr/receipt-pdu';
import { SmppSubmitCounter, countInbound } from '../src/observability/smpp-observer';
import { formatReceiptText, MESSAGE_STATE } from '../src/transport/smpp/receipt-format/receipt-text';
import { blankMessagePdu } from '../src/transport/smpp/pdu/message-pdu';
import type { MessagePdu } from '../src/transport/smpp/pdu/message-pdu';
import { result } from './bench-result';
import type { BenchResult } from './bench-result';
import { SandboxChild } from './sandbox-child';
import { runTransport } from './transport-client';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function benchMetricsOverhead(rounds = Number(process.env.BENCH_METRICS_ROUNDS ?? 5), count = 100_000, window = 100): Promise<BenchResult[]> {
  const sandbox = await SandboxChild.start(0, { recordMode: 'none' });
  const without: number[] = [];
  const withMetrics: number[] = [];
  try {
    await sandbox.setFaults({ latencyMs: 0 });
    // One warm-up each, not counted: the JIT settles on the first 100,000.
    await runTransport(sandbox.port, count, window);
    await runTransport(sandbox.port, count, window, { observer: new SmppSubmitCounter('bench-warmup') });
    for (let i = 0; i < rounds; i++) {
      await sandbox.reset();
      without.push((await runTransport(sandbox.port, count, window)).cpuMicrosPerMessage);
      await sandbox.reset();
      withMetrics.push((await runTransport(sandbox.port, count, window, { observer: new SmppSubmitCounter(`bench-${i}`) })).cpuMicrosPerMessage);
    }
  } finally {
    await sandbox.stop();
  }
  const off = median(without);
  const on = median(withMetrics);
  console.log(
    `metrics overhead, window ${window}, 0 ms: without ${off.toFixed(2)} µs CPU/msg, with ${on.toFixed(2)} µs (runs: without ${without.map((v) => v.toFixed(2)).join(' ')}; with ${withMetrics.map((v) => v.toFixed(2)).join(' ')})`,
  );
  return [
    result(`metrics: transport CPU per message with metrics on, window ${window}, 0 ms`, 'µs', on, off, 'same transport without metrics'),
    result(`metrics: their cost per message on the transport, window ${window}, 0 ms`, 'µs', on - off, 1, '1 µs budget', '< 1'),
    ...benchReceiptPath(),
  ];
}

/** Handsets of a few countries (valid numbers), as carriers write them in receipts. */
const HANDSETS = ['4477009', '4915112', '1415555', '3361234', '9198765', '8613812', '5511987', '2348031', '6141212', '3934712'];

function receiptPdu(i: number): MessagePdu {
  const pdu = blankMessagePdu();
  pdu.source = { ton: 1, npi: 1, addr: `${HANDSETS[i % HANDSETS.length]}${String(i % 10_000).padStart(4, '0')}` };
  pdu.destination = { ton: 5, npi: 0, addr: 'ACME' };
  pdu.esmClass = 0x04;
  pdu.shortMessage = Buffer.from(
    formatReceiptText({ id: `m${i}`, stat: i % 5 === 0 ? 'UNDELIV' : 'DELIVRD', submitDate: new Date(), doneDate: new Date(), err: '000', text: 'hello' }),
    'latin1',
  );
  pdu.tlvs = { receiptedMessageId: `m${i}`, messageState: i % 5 === 0 ? MESSAGE_STATE.UNDELIV : MESSAGE_STATE.DELIVRD };
  return pdu;
}

function cpuMicros(work: () => void, count: number): number {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / count;
}

/**
 * What the metrics add per final receipt, i.e. per message sent with a receipt: the bind's receipt
 * tracker has parsed it already (receiptOf); the metrics count it by state and country and
 * observe its latency. Baseline: the same work as of 0.1.0 (a second parse, libphonenumber-js/max).
 */
function benchReceiptPath(count = 100_000, rounds = 5): ReturnType<typeof result>[] {
  const pdus = Array.from({ length: 10_000 }, (_, i) => receiptPdu(i));
  const counter = new SmppSubmitCounter('bench-receipts');
  const legacy = (pdu: MessagePdu): void => {
    const receipt = receiptFromPdu(pdu);
    if (receipt) void parsePhoneNumberFromString(`+${receipt.to}`)?.country;
  };
  const round = (): { ours: number; before: number } => {
    const messages = Array.from({ length: count }, (_, i) => ({ pdu: pdus[i % pdus.length], receivedAt: new Date() }));
    for (const message of messages) receiptOf(message); // the tracker's parse, not the metrics'
    for (let i = 0; i < count; i++) counter.acceptedAt.set(`m${i % pdus.length}`, Date.now());
    const ours = cpuMicros(() => {
      for (const message of messages) countInbound(counter, message);
    }, count);
    const before = cpuMicros(() => {
      for (let i = 0; i < count; i += 10) legacy(pdus[i % pdus.length]);
    }, count / 10);
    return { ours, before };
  };
  round(); // warm-up
  const runs = Array.from({ length: rounds }, round);
  const ours = median(runs.map((r) => r.ours));
  const before = median(runs.map((r) => r.before));
  console.log(`metrics receipt path: ${ours.toFixed(2)} µs CPU/receipt (0.1.0: ${before.toFixed(2)} µs; runs ${runs.map((r) => r.ours.toFixed(2)).join(' ')})`);
  return [
    result(
      'metrics: receipt path per final receipt (state, country, latency)',
      'µs',
      ours,
      before,
      'same counts as of 0.1.0 (second parse, libphonenumber-js/max)',
    ),
  ];
}
