/**
 * Soak: 1,000,000 recipients through the core broadcast (window 1000, sandbox SMSC in its own
 * process in 'count' record mode, no latency) grow this process's live memory by less than
 * 300 MB, and every recipient is accepted exactly once. Takes about a minute on 2 cores, so it
 * runs only when asked:
 *
 *   SMS_GATEWAY_SOAK=1 npx jest test/reliability/broadcast-million.soak.test.ts
 *
 * The 200,000-recipient version with a proportional bound runs in the normal suite
 * (broadcast-memory.test.ts). Measured in a fresh node process with --expose-gc.
 */
import { describeProfile, profileBroadcastInChild } from './support/broadcast-profile';

const RECIPIENTS = 1_000_000;
const BOUND_MB = 300;
/** Highest RSS growth allowed at any moment, garbage included. */
const RSS_CAP_MB = 600;
const soak = process.env.SMS_GATEWAY_SOAK === '1' ? describe : describe.skip;

soak('soak: memory of a 1,000,000-recipient broadcast', () => {
  it(`accepts each of ${RECIPIENTS.toLocaleString('en')} recipients exactly once with live memory growth under ${BOUND_MB} MB`, async () => {
    const profile = await profileBroadcastInChild(RECIPIENTS);
    console.info(describeProfile(RECIPIENTS, profile));
    expect(profile.gcAvailable).toBe(true);
    expect(profile.summary).toMatchObject({ total: RECIPIENTS, accepted: RECIPIENTS, failed: 0, invalid: 0, duplicatesRemoved: 0 });
    expect(profile.sandbox.unique).toBe(RECIPIENTS);
    expect(profile.sandbox.duplicates).toEqual({ destinations: 0, extraCopies: 0 });
    expect(profile.livePeak.heapUsed).toBeLessThan(BOUND_MB);
    // RSS also holds garbage V8 has not collected yet, which depends on its heuristics, not on the list: an absolute cap.
    expect(profile.peak.rss).toBeLessThan(RSS_CAP_MB);
  }, 300_000);
});
