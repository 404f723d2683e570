/**
 * One sending process of the shared-TPS benchmark (an n8n worker in queue mode): its own
 * transport and TPS throttle, sharing the budget with the others only through Redis. Binds,
 * says ready, and on "go" sends its messages flat out.
 */
import { TpsThrottle } from '../src/throttle/tps-throttle';
import { blankMessagePdu } from '../src/transport/smpp/pdu/message-pdu';
import { SmppTransport } from '../src/transport/smpp/smpp-transport';

interface SenderJob {
  port: number;
  tps: number;
  key: string;
  redisPort: number;
  messages: number;
  firstNumber: number;
  guardMs?: number;
  tokenLifetimeMs?: number;
}

async function run(job: SenderJob): Promise<void> {
  const throttle = new TpsThrottle({
    tps: job.tps,
    key: job.key,
    redis: { host: '127.0.0.1', port: job.redisPort },
    guardMs: job.guardMs,
    tokenLifetimeMs: job.tokenLifetimeMs,
  });
  const transport = new SmppTransport({
    host: '127.0.0.1',
    port: job.port,
    systemId: 'sandbox',
    password: 'sandbox',
    windowSize: 50,
    enquireLinkMs: 0,
    throttle,
    maxQueued: 1_000_000,
  });
  await throttle.ready();
  await transport.start();
  process.send?.({ ready: true });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const text = Buffer.from('TPS benchmark', 'latin1');
  let failed = 0;
  await Promise.all(
    Array.from({ length: job.messages }, (_, i) => {
      const pdu = blankMessagePdu();
      pdu.source = { ton: 5, npi: 0, addr: 'BENCH' };
      pdu.destination = { ton: 1, npi: 1, addr: String(job.firstNumber + i) };
      pdu.shortMessage = text;
      return transport.submit(pdu).catch(() => {
        failed++;
      });
    }),
  );
  await transport.close();
  await throttle.close();
  process.send?.({ done: true, failed, expiredTokens: throttle.expiredTokens });
}

process.once('message', (job: SenderJob) => {
  run(job).then(
    () => process.exit(0),
    (err: Error) => {
      process.send?.({ failure: err.message });
      process.exit(1);
    },
  );
});
