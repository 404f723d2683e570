/**
 * SMS codes on a Redis store decide on Redis's clock: n8n workers whose clocks disagree (a VM
 * whose clock drifted, a container without NTP) must agree on when a code expires. Before, each
 * worker compared with its own clock: a worker an hour behind accepted a code that had expired.
 */
import Redis from 'ioredis';
import { OtpService, createRedisOtpStore } from '../../src/otp';
import { deleteRedisPrefix, REDIS_URL, uniquePrefix } from './helpers/otp-backends';
import { PHONE, SERVER_KEY } from './helpers/service-factory';

const redis = new Redis(REDIS_URL);
const keyPrefix = uniquePrefix();

afterAll(async () => {
  jest.restoreAllMocks();
  await deleteRedisPrefix(redis, keyPrefix);
  redis.disconnect();
});

/** A worker as the nodes make it in production: no injected clock. */
function worker(): OtpService {
  return new OtpService({ store: createRedisOtpStore(redis, { keyPrefix }), serverKey: SERVER_KEY, policy: { lifetimeSeconds: 1 }, defaultCountry: 'DE' });
}

it('a code that expired 1 s ago (lifetime 1 s) is refused as expired by a worker whose clock is an hour behind (it was approved)', async () => {
  const issued = await worker().issue(PHONE);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const realNow = Date.now.bind(Date);
  jest.spyOn(Date, 'now').mockImplementation(() => realNow() - 3_600_000);
  const behind = worker();
  const result = await behind.verify(PHONE, issued.code);
  jest.restoreAllMocks();
  expect({ approved: result.approved, status: result.status }).toEqual({ approved: false, status: 'expired' });
});
