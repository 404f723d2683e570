/**
 * Resource limits: 200,000 recipients through the core broadcast (window 1000, sandbox SMSC in
 * its own process, no latency) stay within a memory bound proportional to the soak test's
 * (broadcast-million.soak.test.ts: 1,000,000 recipients under 300 MB). What grows with the list
 * is the validated list and the journal, about 150 bytes per recipient; nothing per message in
 * flight piles up. Measured in a fresh node process with --expose-gc (see broadcast-profile.ts).
 */
import { describeProfile, profileBroadcastInChild } from './support/broadcast-profile';

const RECIPIENTS = 200_000;
/** 300 MB per million, scaled, plus 40 MB for what does not scale with the list (socket buffers, the 400 submits in the pipeline). */
const BOUND_MB = (300 * RECIPIENTS) / 1_000_000 + 40;
/** Highest RSS growth allowed at any moment, garbage included (the soak test uses the same cap). */
const RSS_CAP_MB = 600;

describe('resource limits: memory of a large broadcast', () => {
  it(`${RECIPIENTS.toLocaleString('en')} recipients: each accepted exactly once, live memory growth under ${BOUND_MB} MB`, async () => {
    const profile = await profileBroadcastInChild(RECIPIENTS);
    console.info(describeProfile(RECIPIENTS, profile));
    expect(profile.gcAvailable).toBe(true);
    expect(profile.summary).toMatchObject({ total: RECIPIENTS, accepted: RECIPIENTS, failed: 0, invalid: 0, duplicatesRemoved: 0 });
    expect(profile.sandbox.unique).toBe(RECIPIENTS);
    expect(profile.sandbox.duplicates).toEqual({ destinations: 0, extraCopies: 0 });
    expect(profile.livePeak.heapUsed).toBeLessThan(BOUND_MB);
    // RSS also holds garbage V8 has not collected yet, which depends on its heuristics, not on the list: an absolute cap.
    expect(profile.peak.rss).toBeLessThan(RSS_CAP_MB);
  }, 120_000);
});
