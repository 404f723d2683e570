/**
 * Attack: an internet client hammers the SMS Trigger's server-mode port with binds. Every refused
 * bind (also once the address is locked out) is one `warn` line: is it rate-limited like the
 * throttled/unmatched bursts? And the attacker's system_id goes into the line verbatim.
 */
import { acquireSmppServer, closeAllSmppServers } from '../../src/registry/listener-registry';
import { resetGatewayLog } from '../../src/observability/gateway-log';
import { OTHER_ADDRESSES, RefusalLines } from '../../src/observability/refusal-lines';
import { bindOnce } from '../inbound/support/smpp-library-client';
import { ArrayLogger } from '../support/gateway-observer';

const APP = { systemId: 'shopapp', password: 'Shop-Pw-81' };

describe('attack: server-mode bind refusal flood', () => {
  let logger: ArrayLogger;
  beforeEach(() => {
    logger = new ArrayLogger();
    resetGatewayLog(undefined, logger);
  });
  afterEach(async () => {
    await closeAllSmppServers();
    resetGatewayLog();
  });

  it('400 refused binds from one locked-out address: not 400 warn lines', async () => {
    const lease = await acquireSmppServer({ host: '127.0.0.1', port: 0, lockout: { maxFailures: 3, lockoutMs: 60_000 } });
    const server = lease.resource;
    server.subscribe({ account: { ...APP, lockout: { maxFailures: 3, lockoutMs: 60_000 } }, onSubmit: async () => undefined });
    const started = Date.now();
    const N = 400;
    for (let i = 0; i < N; i += 8) await Promise.all(Array.from({ length: 8 }, (_, j) => bindOnce(server.port, `guess${i + j}`, 'x')));
    const secs = (Date.now() - started) / 1000;
    const refusals = logger.lines.filter((l) => l.fields?.event === 'server.bindRefused');
    console.log(
      `${N} binds in ${secs.toFixed(1)} s -> ${refusals.length} warn lines (${(refusals.length / secs).toFixed(0)} lines/s); levels ${[...new Set(refusals.map((l) => l.level))]}`,
    );
    expect(refusals.length).toBeLessThan(20);
    await lease.release();
  });

  it('a system_id with a newline forges a second log line', async () => {
    const lease = await acquireSmppServer({ host: '127.0.0.1', port: 0 });
    const server = lease.resource;
    server.subscribe({ account: APP, onSubmit: async () => undefined });
    await bindOnce(server.port, 'x"\nSMS Gateway:', 'x');
    const line = logger.lines.find((l) => l.fields?.event === 'server.bindRefused');
    console.log(JSON.stringify(line?.message));
    expect(line?.message).not.toContain('\n');
    await lease.release();
  });

  it('an application that swaps system_id and password: the password lands in the warn line', async () => {
    const lease = await acquireSmppServer({ host: '127.0.0.1', port: 0 });
    const server = lease.resource;
    server.subscribe({ account: APP, onSubmit: async () => undefined });
    await bindOnce(server.port, APP.password, APP.systemId);
    const everything = JSON.stringify(logger.lines);
    console.log(logger.lines.map((l) => l.message));
    expect(everything).not.toContain(APP.password);
    await lease.release();
  });
});

describe('refusal lines: a summary per address when the minute ends, bounded over many addresses', () => {
  afterEach(() => jest.useRealTimers());

  it('one line, then "N more" at the end of the minute; beyond 20 addresses they share one count', () => {
    jest.useFakeTimers();
    const summaries: Array<[string, number]> = [];
    const lines = new RefusalLines(60_000, (address, count) => summaries.push([address, count]));
    const admitted = Array.from({ length: 50 }, () => lines.admit('10.0.0.7', false)).filter(Boolean).length;
    expect(admitted).toBe(1);
    expect(lines.admit('10.0.0.7', true)).toBe(true); // a lockout is always said
    // A flood over 500 more addresses: 19 get a line each (20 with 10.0.0.7), the other 481 share one line and one count.
    const spread = Array.from({ length: 500 }, (_, i) => lines.admit(`10.1.${i >> 8}.${i & 255}`, false)).filter(Boolean).length;
    expect(spread).toBe(20);
    jest.advanceTimersByTime(60_000);
    expect(summaries).toEqual([
      ['10.0.0.7', 49],
      [OTHER_ADDRESSES, 480],
    ]);
    // A new minute: the address has a line again.
    expect(lines.admit('10.0.0.7', false)).toBe(true);
  });
});
