/** OtpService.sendFailed: a send whose SMS did not go out is given back, on the memory store and real Redis. */
import { OtpInputError } from '../../src/otp';
import { memoryBackend, redisBackend } from './helpers/otp-backends';
import type { Backend } from './helpers/otp-backends';
import { makeService, OTHER_PHONE, PHONE } from './helpers/service-factory';

const backends: Backend[] = [memoryBackend(), redisBackend()];
afterAll(async () => {
  for (const backend of backends) await backend.close();
});

describe.each(backends.map((b) => [b.name, b] as const))('giving back a failed send on the %s store', (_name, backend) => {
  test('1,000 failed first sends with a global ceiling of 1 per hour: the next number still gets its code', async () => {
    const { service, clock } = makeService(backend.newStore(), { guard: { globalPerHour: 1, allowedCountries: ['DE'] } });
    for (let i = 0; i < 1000; i++) {
      const issued = await service.issue(PHONE);
      expect(await service.sendFailed(issued)).toEqual({ refunded: true, status: 'canceled' });
      clock.advanceSeconds(0.001);
    }
    expect(await service.issue(OTHER_PHONE)).toMatchObject({ sendCount: 1, resent: false });
  });

  test('a failed resend restores count, slot and code; a send in between is never undone', async () => {
    const { service, clock } = makeService(backend.newStore(), { policy: { newCodeOnResend: true } });
    const first = await service.issue(PHONE);
    clock.advanceSeconds(30);
    const failedResend = await service.issue(PHONE);
    expect(failedResend.code).not.toBe(first.code);
    expect(await service.sendFailed(failedResend)).toEqual({ refunded: true, status: 'pending' });
    const status = await service.status(PHONE);
    expect(status).toMatchObject({ sendCount: 1, sendsLeft: 4, nextResendAt: new Date(clock.now()) });

    const resent = await service.issue(PHONE);
    clock.advanceSeconds(30);
    const later = await service.issue(PHONE);
    // `resent` went out but its SMS is reported failed only after `later` was sent: nothing is undone.
    expect(await service.sendFailed(resent)).toEqual({ refunded: false, status: 'pending' });
    expect(await service.status(PHONE)).toMatchObject({ sendCount: 3 });
    expect(await service.verify(PHONE, later.code)).toMatchObject({ approved: true });
  });

  test('a result is given back at most once, and only to the service that issued it', async () => {
    const { service } = makeService(backend.newStore());
    const issued = await service.issue(PHONE);
    await service.sendFailed(issued);
    await expect(service.sendFailed(issued)).rejects.toBeInstanceOf(OtpInputError);
    await expect(makeService(backend.newStore()).service.sendFailed(issued)).rejects.toBeInstanceOf(OtpInputError);
  });
});
