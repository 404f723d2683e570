import Redis from 'ioredis';
import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import type { BroadcastOptions } from '../../src/broadcast/broadcast-runner';
import { RedisBroadcastJournal } from '../../src/broadcast/redis-broadcast-journal';
import type { BroadcastJournal } from '../../src/broadcast/broadcast-journal';
import type { BroadcastRecipient } from '../../src/broadcast/broadcast-types';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { closeSharedRedisClients, sharedRedis } from '../../nodes/shared/state/redis-connection';
import { PrivateRedis } from '../../bench/private-redis';
import { createRedisTestUser } from '../reliability/support/redis-test-user';
import type { RedisTestUser } from '../reliability/support/redis-test-user';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';

/**
 * The broadcast journal's Redis failing under a running broadcast (real Redis each time): for
 * good (permissions revoked), restarted with its data (AOF), restarted empty. A failure must stop
 * every sender at once with one error that tells the truth; a restart must be ridden out.
 */
const COUNT = 3000;
const list = (first: number): BroadcastRecipient[] =>
  Array.from({ length: COUNT }, (_, i) => ({
    to: `+4479${String(first + i).padStart(8, '0')}`,
    text: 'Gas leak: leave the building by the stairs.',
    itemIndex: i,
  }));

describe('broadcast journal: Redis fails or restarts mid-run', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  beforeAll(async () => {
    smsc = await startSandbox({ recordMode: 'count', maxStoredMessages: 10, faults: { latencyMs: 3 } });
    transport = new SmppTransport(sandboxTransportOptions(smsc, { windowSize: 20 }));
    await transport.start();
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await closeSharedRedisClients();
    await transport.close(100);
    await smsc.stop();
  });
  let base = 0;
  /** Messages the sandbox accepted in this test. */
  const sent = (): number => smsc.stats.accepted - base;
  beforeEach(() => {
    smsc.store.clear();
    base = smsc.stats.accepted;
    unhandled.length = 0;
  });

  const options = (broadcastId: string, journal: BroadcastOptions['journal'], extra: Partial<BroadcastOptions> = {}): BroadcastOptions => ({
    broadcastId,
    sender: transport,
    defaults: { from: 'CITYALERT' },
    message: {},
    journal,
    collectResults: false,
    ...extra,
  });

  describe('a journal that fails for good (the Redis user loses its permissions after 300 sends)', () => {
    let user: RedisTestUser;
    let client: Redis;
    beforeAll(async () => {
      user = await createRedisTestUser('journal-fails');
      client = new Redis({ host: '127.0.0.1', port: 6379, username: user.user, password: user.password, maxRetriesPerRequest: 2 });
    });
    afterAll(async () => {
      client.disconnect();
      await user.remove();
    });

    it('stops every sender at once: one error with accepted/failed counts and how to resume, no unhandled rejection, nothing sent after it', async () => {
      const redisJournal = new RedisBroadcastJournal(client, { prefix: user.keyPrefix, outageToleranceMs: 1000 });
      // Notes how many submits the transport had written when the journal first failed.
      let writtenAtFailure: number | null = null;
      const noteFailure = <T>(p: Promise<T>): Promise<T> =>
        p.catch((err: unknown) => {
          writtenAtFailure ??= transport.metrics().sent;
          throw err;
        });
      const journal: BroadcastJournal = {
        open: (...a) => noteFailure(redisJournal.open(...a)),
        states: (...a) => noteFailure(redisJournal.states(...a)),
        claim: (...a) => noteFailure(redisJournal.claim(...a)),
        settle: (...a) => noteFailure(redisJournal.settle(...a)),
      };
      let revoked = false;
      const error = await runBroadcast(
        list(10_000_000),
        options('journal-fails', journal, {
          onAccepted: () => {
            if (sent() >= 300 && !revoked) {
              revoked = true;
              void user.admin.call('ACL', 'SETUSER', user.user, '-@all');
            }
          },
        }),
      ).then(
        () => null,
        (err: Error & { summary?: { accepted: number } }) => err,
      );
      const sentWhenReported = sent();

      expect(error?.message).toMatch(
        /^Broadcast journal-fails stopped: NOPERM.*Up to then \d+ accepted, 0 failed.*A re-run with the same Broadcast ID resumes/s,
      );
      // Every message the carrier took is counted in the error (nothing sent behind its back).
      expect(error?.summary?.accepted).toBe(sentWhenReported);
      expect(sentWhenReported).toBeLessThan(COUNT);
      await new Promise((r) => setTimeout(r, 500));
      expect(sent()).toBe(sentWhenReported);
      expect(transport.metrics().inFlight + transport.metrics().queued).toBe(0);
      // The submits still waiting in the transport were withdrawn: not one written after the failure.
      expect(writtenAtFailure).not.toBeNull();
      expect(transport.metrics().sent).toBe(writtenAtFailure);
      expect(unhandled).toEqual([]);
    });
  });

  describe('a private Redis restarted mid-run', () => {
    let redis: PrivateRedis | null = null;
    afterEach(async () => {
      // Quit the shared clients while their Redis still answers: a client left to reconnect to a stopped
      // Redis keeps a 2 s disconnect timer and the worker alive after the suite.
      await closeSharedRedisClients();
      await redis?.stop();
      redis = null;
    });

    const journalOn = async (port: number, prefix: string): Promise<RedisBroadcastJournal> =>
      new RedisBroadcastJournal(await sharedRedis({ host: '127.0.0.1', port, db: 0, tls: false, keyPrefix: prefix }), { prefix });

    it('killed (SIGKILL) and back after 1.5 s with its data: the broadcast waits, sends each number once, and a re-run sends nothing', async () => {
      redis = await PrivateRedis.start({ persist: true });
      const journal = await journalOn(redis.port, 'restart:');
      let restarting: Promise<void> | null = null;
      const first = await runBroadcast(
        list(20_000_000),
        options('redis-restart', journal, {
          onAccepted: () => {
            if (sent() >= 1000 && !restarting) {
              restarting = redis!
                .kill()
                .then(() => new Promise((r) => setTimeout(r, 1500)))
                .then(() => redis!.restart());
            }
          },
        }),
      );
      await restarting;
      expect(first.summary).toMatchObject({ accepted: COUNT, failed: 0, uncertain: 0, skippedUncertain: 0 });
      expect(smsc.store.uniqueDestinations()).toBe(COUNT);
      expect(smsc.store.duplicates().extraCopies).toBe(0);

      const again = await runBroadcast(list(20_000_000), options('redis-restart', journal));
      expect(again.summary).toMatchObject({ accepted: 0, skippedAlreadySent: COUNT, skippedUncertain: 0 });
      expect(smsc.store.duplicates().extraCopies).toBe(0);
      expect(unhandled).toEqual([]);
    });

    it('restarted empty (no persistence): stops with an error that says the journal was lost, and sends nothing after it', async () => {
      redis = await PrivateRedis.start({ persist: false });
      const journal = await journalOn(redis.port, 'lost:');
      let restarting: Promise<void> | null = null;
      const error = await runBroadcast(
        list(30_000_000),
        options('redis-lost', journal, {
          onAccepted: () => {
            if (sent() >= 1000 && !restarting) restarting = redis!.restart();
          },
        }),
      ).then(
        () => null,
        (err: Error) => err,
      );
      await restarting;
      const sentWhenReported = sent();
      expect(error?.message).toMatch(/stopped: JOURNAL_LOST this broadcast's journal is gone from Redis/);
      await new Promise((r) => setTimeout(r, 300));
      expect(sent()).toBe(sentWhenReported);
      expect(smsc.store.duplicates().extraCopies).toBe(0);
      expect(unhandled).toEqual([]);
    });

    it('restarted empty after the last claim: the run ends JOURNAL_LOST, not success, and a re-post sends nobody twice', async () => {
      redis = await PrivateRedis.start({ persist: false });
      const journal = await journalOn(redis.port, 'lost-late:');
      let restarting: Promise<void> | null = null;
      // Claims run ~concurrency ahead of the sends: near the end only settles still touch Redis.
      const first = await runBroadcast(
        list(31_000_000),
        options('redis-lost-late', journal, {
          dedupeWindowMs: 86_400_000,
          onAccepted: () => {
            if (sent() >= COUNT - 250 && !restarting) restarting = redis!.restart();
          },
        }),
      ).then(
        () => null,
        (err: Error) => err,
      );
      await restarting;
      expect(first?.message).toMatch(/JOURNAL_LOST/);
      const again = await runBroadcast(list(31_000_000), options('redis-lost-late', journal, { dedupeWindowMs: 86_400_000 })).then(
        (o) => o.summary,
        (err: Error) => err,
      );
      expect(smsc.store.duplicates().extraCopies).toBe(0);
      // Outcomes written after the loss was found are known; every other number is uncertain.
      if (!(again instanceof Error)) expect(again.skippedUncertain + again.skippedAlreadySent).toBe(COUNT);
      if (!(again instanceof Error)) expect(again).toMatchObject({ accepted: 0, journalLost: true });
      expect(unhandled).toEqual([]);
    });

    it('restarted empty after the whole run: a re-post finds the journal lost and sends nobody twice', async () => {
      redis = await PrivateRedis.start({ persist: false });
      const journal = await journalOn(redis.port, 'lost-after:');
      const first = await runBroadcast(list(32_000_000), options('redis-lost-after', journal));
      expect(first.summary.accepted).toBe(COUNT);
      await redis.restart();
      const again = await runBroadcast(list(32_000_000), options('redis-lost-after', journal)).then(
        (o) => o.summary,
        (err: Error) => err,
      );
      expect(smsc.store.duplicates().extraCopies).toBe(0);
      if (!(again instanceof Error)) expect(again).toMatchObject({ accepted: 0, skippedUncertain: COUNT });
    });

    it('a re-run after JOURNAL_LOST, as the error advises, sends nobody twice; Resend Uncertain sends again, each flagged', async () => {
      redis = await PrivateRedis.start({ persist: false });
      const journal = await journalOn(redis.port, 'lost-rerun:');
      let restarting: Promise<void> | null = null;
      const error = await runBroadcast(
        list(33_000_000),
        options('redis-lost-rerun', journal, {
          onAccepted: () => {
            if (sent() >= 1000 && !restarting) restarting = redis!.restart();
          },
        }),
      ).then(
        () => null,
        (err: Error & { advice?: string }) => err,
      );
      await restarting;
      const advice = (error as { advice?: string } | null)?.advice ?? '';
      // The gateway cannot know who got it: the text must not promise a safe resume.
      expect(`${error?.message} ${advice}`).not.toMatch(/sends only to numbers that got nothing|resumes where it stopped/);
      expect(`${error?.message} ${advice}`).toMatch(/cannot tell which numbers got it/);
      expect(advice).toMatch(/Resend Uncertain/);
      const firstRun = sent();

      const again = await runBroadcast(list(33_000_000), options('redis-lost-rerun', journal));
      expect(sent()).toBe(firstRun);
      expect(again.summary).toMatchObject({ accepted: 0, journalLost: true });
      expect(again.summary.skippedUncertain + again.summary.skippedAlreadySent).toBe(COUNT);
      expect(again.summary.skippedUncertain).toBeGreaterThan(COUNT / 2);
      expect(again.results.find((r) => r.status === 'skipped_uncertain')?.error).toMatch(/journal was lost/);
      expect(smsc.store.duplicates().extraCopies).toBe(0);

      // Sending again on purpose: everyone once more, each flagged as a possible duplicate.
      const resent = await runBroadcast(list(33_000_000), options('redis-lost-rerun', journal, { resendUncertain: true }));
      expect(resent.summary).toMatchObject({ accepted: again.summary.skippedUncertain, possibleDuplicates: again.summary.skippedUncertain });
      expect(unhandled).toEqual([]);
    });
  });
});
