/** OTP outcomes in the metrics: issued, refused by the pumping guard's rule, verified by result. */
import { createMemoryOtpStore, OtpRefusedError, OtpService } from '../../src/otp';
import { gatewayMetrics } from '../../src/observability';
import { otpCounters } from '../../src/observability/outcome-counters';

describe('OTP metrics', () => {
  it('counts a code issued, a send refused by rule, and checks by result', async () => {
    const label = `otp-${Date.now()}`;
    const service = new OtpService({
      store: createMemoryOtpStore(),
      serverKey: 'k'.repeat(32),
      guard: { allowedCountries: ['GB'], perNumberPerHour: 1 },
      outcomes: otpCounters(label),
    });
    const issued = await service.issue('+447400123456', 'login');
    await expect(service.issue('+447400123456', 'reset')).rejects.toBeInstanceOf(OtpRefusedError);
    await expect(service.issue('+4915112345678', 'login')).rejects.toMatchObject({ code: 'country_not_allowed' });
    const wrong = issued.code === '000000' ? '111111' : '000000';
    expect((await service.verify('+447400123456', wrong, 'login')).approved).toBe(false);
    expect((await service.verify('+447400123456', issued.code, 'login')).approved).toBe(true);

    const m = gatewayMetrics();
    expect(m.otpIssued.get(label)).toBe(1);
    expect(m.otpRefused.get(label, 'rate_limited_number')).toBe(1);
    expect(m.otpRefused.get(label, 'country_not_allowed')).toBe(1);
    expect(m.otpVerifications.get(label, 'invalid_code')).toBe(1);
    expect(m.otpVerifications.get(label, 'approved')).toBe(1);
  });
});
