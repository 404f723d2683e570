/**
 * Kannel's bearerbox alone on the `smpp`-library sink, one row:
 *   node dist/bench/kannel-probe.js <latencyMs> <window> <count>
 */
import { SmppSinkChild } from './smpp-sink-child';
import { KannelBox, findBearerbox, measureKannel } from './kannel-baseline';

async function main(): Promise<void> {
  const [latencyMs, window, count] = process.argv.slice(2, 5).map(Number);
  const bearerbox = findBearerbox();
  if (!bearerbox) {
    console.log('Kannel not measured: kannel not installed (bearerbox not found; Debian: apt-get install kannel)');
    return;
  }
  const sink = await SmppSinkChild.start(latencyMs);
  const box = await KannelBox.start(bearerbox, sink.port, window).catch(async (err: Error) => {
    await sink.stop();
    throw err;
  });
  try {
    const answered = async (): Promise<number> => (await sink.stats()).accepted;
    await sink.reset();
    await measureKannel(box, Math.max(40, Math.round(count / 10)), 7_000_000, answered);
    await sink.reset();
    const r = await measureKannel(box, count, 0, answered);
    const bound = latencyMs > 0 ? (window * 1000) / latencyMs : Infinity;
    console.log(
      `kannel ${latencyMs} ms window ${window}: ${count} msgs, ${Math.round(r.perSecond)} msg/s (${(r.perSecond / bound).toFixed(3)} of W/L), bearerbox ${r.cpuMicrosPerMessage.toFixed(1)} µs CPU/msg (by its 10 ms ticks: ${r.tickMicrosPerMessage.toFixed(0)} µs/msg)`,
    );
  } finally {
    await box.stop();
    await sink.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
