// README (Replace Sent Message): "With State Store Redis the record is shared through Redis for
// three days", so a replace on another n8n process or after a restart finds it. A message sent
// late in a UTC day must still be found up to three days later, not only until the end of the
// day after tomorrow. The clock is injected; the Redis is the local one (own key prefix).
import Redis from 'ioredis';
import { SharedDataCodings } from '../../src/registry/shared-data-codings';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const PREFIX = `test-shared-dc-3d-${process.pid}-${Date.now()}:`;

describe('Sent data codings shared through Redis are found for three days', () => {
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  afterAll(async () => {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it.each([
    ['sent at 00:30, asked 2 days 23 h later', 0.5, 2 * 24 + 23],
    ['sent at 18:00, asked 2 days 12 h later', 18, 2 * 24 + 12],
    ['sent at 23:00, asked 2 days 2 h later', 23, 2 * 24 + 2],
  ])('%s', async (_name, sentAtHour, askedAfterHours) => {
    // A fixed day in the past, so the keys' real TTL (three days from the write) does not matter.
    const day = Math.floor(Date.now() / DAY_MS) - 10;
    let now = day * DAY_MS + sentAtHour * HOUR_MS;
    const key = `${PREFIX}sent-dc:${sentAtHour}`;
    const writer = new SharedDataCodings(redis, key, () => now);
    writer.add('msg-ucs2', 8);
    await writer.flush();
    now += askedAfterHours * HOUR_MS; // still less than three days after the send
    // Another process (or this one after a restart): nothing pending in memory.
    const reader = new SharedDataCodings(redis, key, () => now);
    expect(await reader.get('msg-ucs2')).toBe(8);
  });
});
