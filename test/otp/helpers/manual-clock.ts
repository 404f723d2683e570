/** A clock the test moves by hand, so expiry and resend intervals need no sleeping. */
export class ManualClock {
  constructor(private current: number) {}

  readonly now = (): number => this.current;

  advanceSeconds(seconds: number): void {
    this.current += seconds * 1000;
  }

  set(ms: number): void {
    this.current = ms;
  }
}

/** 2030-01-01 10:00:05 UTC: a few seconds into a clock hour, far from any window edge. */
export const START_MS = Date.UTC(2030, 0, 1, 10, 0, 5);
