/**
 * The client process's CPU with nothing to send (issue 23): at 46 msg/s (window 1, 20 ms) every
 * millisecond of idle CPU per second is 22 µs per message, so the fixed costs per second show here.
 *   node dist/bench/idle-probe.js [seconds=5] [ours|bare|none]
 * `ours`: a bound SmppTransport (default settings: response-timeout sweep, enquire_link) after a
 * warm-up broadcast; `bare`: the same warm-up, then an open socket only; `none`: an empty process.
 */
import * as fs from 'fs';
import { SmppSinkChild } from './smpp-sink-child';
import { broadcastOn, runBroadcastCpu, sinkRecipients } from './broadcast-cpu';
import { SmppTransport } from '../src/transport/smpp/smpp-transport';

/** CPU ticks (utime+stime, 10 ms each) per thread of this process. */
function threadTicks(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, Number(f[11]) + Number(f[12]));
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** Voluntary context switches of the main thread: how often it went to sleep (about one per wake-up). */
function wakeUps(): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  return Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

async function measure(seconds: number, label: string): Promise<void> {
  const ticks = threadTicks();
  const wakes = wakeUps();
  const cpu = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const used = process.cpuUsage(cpu);
  const after = threadTicks();
  const main = String(process.pid);
  let helpers = 0;
  for (const [tid, t] of after) if (tid !== main) helpers += t - (ticks.get(tid) ?? 0);
  const ms = (used.user + used.system) / 1000;
  console.log(
    `${label}: ${ms.toFixed(1)} ms CPU in ${seconds} s (${(ms / seconds).toFixed(2)} ms/s; ${(((ms / seconds) * 1000) / 46).toFixed(1)} µs per message at 46 msg/s), ${wakeUps() - wakes - 1} wake-ups, helper threads ${helpers} ticks`,
  );
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const which = process.argv[3] ?? 'ours';
  if (which === 'none') return measure(seconds, 'empty process');
  const sink = await SmppSinkChild.start(0);
  const target = { host: '127.0.0.1', port: sink.port, systemId: 'bench', password: 'bench' };
  try {
    await runBroadcastCpu(target, sinkRecipients(20_000, 5_000_000), 100);
    let transport: SmppTransport | null = null;
    if (which === 'ours') {
      // The production defaults (enquire_link every 30 s, 10 s response timeout), not the bench's.
      transport = new SmppTransport({ ...target, windowSize: 1 });
      await transport.start();
      await broadcastOn(transport, sinkRecipients(40, 6_000_000));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await measure(seconds, which === 'ours' ? 'bound transport, idle, after a broadcast' : 'after a broadcast, no transport');
    await measure(seconds, which === 'ours' ? 'bound transport, idle, 5 s later' : 'no transport, 5 s later');
    await transport?.close();
  } finally {
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
