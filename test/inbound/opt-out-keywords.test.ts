import Redis from 'ioredis';
import { randomUUID } from 'crypto';
import type { MessageEvent } from '../../src/inbound/inbound-event';
import { applyOptOutKeyword, DEFAULT_START_KEYWORDS, DEFAULT_STOP_KEYWORDS, optOutIntent } from '../../src/inbound/opt-out-keywords';
import { MemoryOptOutStore, RedisOptOutStore } from '../../src/optout/opt-out-store';

const keywords = { list: 'default', stopKeywords: DEFAULT_STOP_KEYWORDS, startKeywords: DEFAULT_START_KEYWORDS };
const event = (text: string, from = '+447700900123'): MessageEvent => ({
  type: 'message',
  from,
  to: '12345',
  text,
  encoding: 'gsm7',
  parts: 1,
  receivedAt: '',
  smsc: 'test',
});

describe('opt-out keywords', () => {
  it('recognises STOP-like and START-like replies as the whole text, ignoring case and trailing punctuation', () => {
    expect(optOutIntent('stop', keywords)).toBe('optOut');
    expect(optOutIntent(' Stop. ', keywords)).toBe('optOut');
    expect(optOutIntent('UNSUBSCRIBE!', keywords)).toBe('optOut');
    expect(optOutIntent('start', keywords)).toBe('optIn');
    expect(optOutIntent('stop sending me offers', keywords)).toBeNull();
    expect(optOutIntent('please stop', keywords)).toBeNull();
    expect(optOutIntent('', keywords)).toBeNull();
    expect(optOutIntent('halt', { stopKeywords: ['HALT'], startKeywords: [] })).toBe('optOut');
    expect(optOutIntent('stop', { stopKeywords: ['HALT'], startKeywords: [] })).toBeNull();
  });

  it('adds and removes the sender on the list and marks the event', async () => {
    const store = new MemoryOptOutStore();
    const stop = event('STOP');
    await applyOptOutKeyword(stop, store, keywords);
    expect(stop).toMatchObject({ optOut: 'added', optOutList: 'default' });
    expect(await store.filterOptedOut('default', ['+447700900123', '+447700900999'])).toEqual(new Set(['+447700900123']));
    const start = event('Start');
    await applyOptOutKeyword(start, store, keywords);
    expect(start.optOut).toBe('removed');
    expect(await store.count('default')).toBe(0);
  });

  it('ignores ordinary texts, non-phone senders and incomplete messages', async () => {
    const store = new MemoryOptOutStore();
    const chat = event('hello');
    await applyOptOutKeyword(chat, store, keywords);
    await applyOptOutKeyword(event('STOP', 'MyBank'), store, keywords);
    await applyOptOutKeyword({ ...event('STOP'), incomplete: true }, store, keywords);
    expect(chat.optOut).toBeUndefined();
    expect(await store.count('default')).toBe(0);
  });

  it('writes to the Redis store other n8n processes read', async () => {
    const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    const prefix = `test:trigger-optout:${randomUUID()}:`;
    try {
      const store = new RedisOptOutStore(redis, prefix);
      await applyOptOutKeyword(event('stop'), store, { ...keywords, list: 'alerts' });
      expect(await redis.sismember(`${prefix}alerts`, '+447700900123')).toBe(1);
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });
});
