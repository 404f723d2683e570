import type { MessageView } from '../../src/sandbox/http';
import { ThroughputMeter } from '../../src/sandbox/http/throughput-meter';
import { simpleSubmit } from '../support/messages';
import { requestJson, startSandboxHttpFixture } from './support/sandbox-http-fixture';
import type { SandboxHttpFixture } from './support/sandbox-http-fixture';
import { SseClient } from './support/sse-client';

describe('sandbox event stream (GET /api/events)', () => {
  let f: SandboxHttpFixture;
  const clients: SseClient[] = [];
  const open = async (): Promise<SseClient> => {
    const client = await SseClient.open(`${f.base}/api/events`);
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await f.stop();
  });

  it('streams message, receipt, bound, faults, drop and cleared events as they happen', async () => {
    f = await startSandboxHttpFixture({ receipt: { outcome: 'DELIVRD', delayMs: 0 } }, { flushMs: 10 });
    const stream = await open();
    expect(stream.status).toBe(200);
    expect(stream.contentType).toBe('text/event-stream; charset=utf-8');
    // A snapshot comes first, so a page shows the current faults without waiting a second.
    await stream.next('stats');
    expect(stream.events[0].event).toBe('stats');

    const t = await f.connect();
    await expect(stream.next('bound')).resolves.toMatchObject({ systemId: 'sandbox', mode: 'transceiver' });
    const sent = await t.submit(simpleSubmit('447700900001', 'hello <b>phone</b>', { registeredDelivery: 1 }));
    const message = await stream.next<MessageView>('message');
    expect(message).toMatchObject({
      id: sent.messageId,
      direction: 'mt',
      to: '447700900001',
      from: 'TEST',
      text: 'hello <b>phone</b>',
      encoding: 'gsm7',
      parts: 1,
    });
    const receipt = await stream.next<MessageView>('receipt');
    expect(receipt).toMatchObject({ id: sent.messageId, delivery: { status: 'DELIVRD' } });

    await requestJson(f.base, 'POST', '/api/faults', { throttleRatio: 0.25 });
    await expect(stream.next('faults')).resolves.toMatchObject({ throttleRatio: 0.25 });
    await requestJson(f.base, 'POST', '/api/drop');
    await expect(stream.next('drop')).resolves.toMatchObject({ dropped: 1 });
    await requestJson(f.base, 'DELETE', '/api/messages');
    await stream.next('cleared');
  });

  it('carries the part count of an MO injected through the API', async () => {
    f = await startSandboxHttpFixture({}, { flushMs: 10 });
    // An ESME that takes MO messages (one without a handler answers them with a temporary error).
    await f.connect({}, (t) => t.addInboundHandler(() => undefined));
    const stream = await open();
    const text = 'Ünïcödé reply ✓ '.repeat(6);
    const answer = await requestJson(f.base, 'POST', '/api/mo', { from: '447700900123', to: '12345', text });
    expect(answer.body).toMatchObject({ parts: 2, delivered: true });
    await expect(stream.next<MessageView>('message')).resolves.toMatchObject({
      direction: 'mo',
      from: '447700900123',
      to: '12345',
      text,
      encoding: 'ucs2',
      parts: 2,
    });
  });

  it('sends a stats tick with accepted messages per second from the injected clock', async () => {
    let now = 1_000_000;
    // A tick period far beyond the test: only the snapshot on connect and explicit statsTick() calls count.
    f = await startSandboxHttpFixture({}, { tickMs: 3_600_000, now: () => now });
    const stream = await open();
    const first = await stream.next('stats');
    expect(first).toMatchObject({ at: 1_000_000, acceptedPerSecond: 0, accepted: 0, sessionCount: 0, faults: { throttleRatio: 0 } });
    const t = await f.connect();
    await Promise.all([1, 2, 3].map((i) => t.submit(simpleSubmit(`44770090000${i}`))));
    now += 1500;
    expect(f.http.events.statsTick()).toMatchObject({
      at: 1_001_500,
      accepted: 3,
      failed: 0,
      throttled: 0,
      submits: 3,
      acceptedPerSecond: 2,
      submitsPerSecond: 2,
      sessionCount: 1,
    });
  });

  it('sends stats ticks on its own timer while a client listens', async () => {
    f = await startSandboxHttpFixture({}, { tickMs: 20 });
    const stream = await open();
    await stream.next('stats', () => stream.events.filter((e) => e.event === 'stats').length >= 3);
    expect(f.http.events.clientCount).toBe(1);
  });

  it('caps message events per flush and reports the rest as skipped', async () => {
    f = await startSandboxHttpFixture({}, { maxEventsPerFlush: 2, flushMs: 20 });
    const stream = await open();
    await stream.next('stats');
    // Five MOs announced in one synchronous run land in one flush (no ESME is bound; they wait).
    for (let i = 0; i < 5; i++) void f.smsc.injectMo({ from: `44770090000${i}`, to: '12345', text: `mo ${i}` });
    const skipped = await stream.next<{ messages: number; receipts: number }>('skipped');
    expect(skipped).toEqual({ messages: 3, receipts: 0 });
    expect(stream.events.filter((e) => e.event === 'message').map((e) => (e.data as MessageView).text)).toEqual(['mo 0', 'mo 1']);
  });

  it('forgets a client that went away and stops its listeners on close', async () => {
    f = await startSandboxHttpFixture({}, { tickMs: 20 });
    const stream = await open();
    await stream.next('stats');
    expect(f.http.events.clientCount).toBe(1);
    stream.close();
    const deadline = Date.now() + 5000;
    while (f.http.events.clientCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(f.http.events.clientCount).toBe(0);
    const listenersBefore = f.smsc.listenerCount('message');
    f.http.events.close();
    expect(f.smsc.listenerCount('message')).toBe(listenersBefore - 1);
  });
});

describe('ThroughputMeter', () => {
  it('turns counter snapshots into per-second rates between samples', () => {
    const meter = new ThroughputMeter();
    expect(meter.sample(0, { submits: 10, accepted: 8, failed: 1, throttled: 1 })).toMatchObject({ acceptedPerSecond: 0, submitsPerSecond: 0 });
    expect(meter.sample(2000, { submits: 110, accepted: 88, failed: 1, throttled: 1 })).toMatchObject({
      acceptedPerSecond: 40,
      submitsPerSecond: 50,
      accepted: 88,
    });
    expect(meter.sample(2500, { submits: 111, accepted: 89, failed: 1, throttled: 1 })).toMatchObject({ acceptedPerSecond: 2, submitsPerSecond: 2 });
  });

  it('never reports a negative rate after the counters were reset, nor divides by zero', () => {
    const meter = new ThroughputMeter();
    meter.sample(0, { submits: 100, accepted: 100, failed: 0, throttled: 0 });
    expect(meter.sample(1000, { submits: 3, accepted: 3, failed: 0, throttled: 0 })).toMatchObject({ acceptedPerSecond: 0, submitsPerSecond: 0 });
    expect(meter.sample(1000, { submits: 9, accepted: 9, failed: 0, throttled: 0 })).toMatchObject({ acceptedPerSecond: 0 });
  });
});
