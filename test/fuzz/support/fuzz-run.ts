import fc from 'fast-check';

/**
 * Seeds and run counts shared by every fuzz suite (test/fuzz, test/security).
 *
 * Each run picks a random seed unless FUZZ_SEED is set; a failing property prints it. Replay a
 * failure exactly with:
 *
 *   FUZZ_SEED=<printed seed> npx jest test/fuzz test/security
 *
 * (fast-check's own message also shows `path`, which shrinks straight to the counterexample when
 * passed as FUZZ_PATH together with the seed.) FUZZ_SCALE=10 runs ten times more cases locally.
 */

function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got ${JSON.stringify(raw)}`);
  return value;
}

// fast-check's default size ('small') keeps arrays and strings to ~10 items whatever maxLength
// says; PDUs need longer bodies (C-strings past their limits, TLV streams), so every fuzz suite
// that imports this module draws 'medium' sizes (~100 items).
fc.configureGlobal({ ...fc.readConfigureGlobal(), baseSize: 'medium' });

export const FUZZ_SEED: number = envNumber('FUZZ_SEED') ?? (Math.random() * 0x7fffffff) | 0;
const FUZZ_SCALE = envNumber('FUZZ_SCALE') ?? 1;
const FUZZ_PATH = process.env.FUZZ_PATH || undefined;

/** numRuns scaled by FUZZ_SCALE (at least 1). */
export function scaledRuns(numRuns: number): number {
  return Math.max(1, Math.round(numRuns * FUZZ_SCALE));
}

function replayHint(what: string, seed: number): string {
  return `fuzz failure in "${what}": replay with FUZZ_SEED=${seed} npx jest test/fuzz test/security`;
}

/** Runs a synchronous property with the shared seed; returns how many cases ran. */
export function fuzzProperty<Ts>(what: string, property: fc.IProperty<Ts>, numRuns: number): number {
  const runs = scaledRuns(numRuns);
  try {
    fc.assert(property, { seed: FUZZ_SEED, numRuns: runs, path: FUZZ_PATH });
  } catch (err) {
    console.log(replayHint(what, FUZZ_SEED));
    throw err;
  }
  return runs;
}

/** Like fuzzProperty for async properties. */
export async function fuzzAsyncProperty<Ts>(what: string, property: fc.IAsyncProperty<Ts>, numRuns: number): Promise<number> {
  const runs = scaledRuns(numRuns);
  try {
    await fc.assert(property, { seed: FUZZ_SEED, numRuns: runs, path: FUZZ_PATH });
  } catch (err) {
    console.log(replayHint(what, FUZZ_SEED));
    throw err;
  }
  return runs;
}

/**
 * Draws `count` values from an arbitrary with the shared seed (for network cases, which are sent
 * in batches rather than one property run each). `salt` keeps different suites from drawing the
 * same values.
 */
export function fuzzSample<T>(arbitrary: fc.Arbitrary<T>, count: number, salt: number): T[] {
  return fc.sample(arbitrary, { seed: (FUZZ_SEED + salt) | 0, numRuns: scaledRuns(count) });
}

/** Wraps a network check so a failure prints the seed that drew its cases. */
export async function withSeedOnFailure<T>(what: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    console.log(replayHint(what, FUZZ_SEED));
    throw err;
  }
}
