/**
 * The gateway's metrics as plain numbers, kept here rather than in prom-client objects: the
 * transport's hot path does one property increment (a child looked up once), and the labelled
 * samples are built only when something reads them (a Prometheus scrape, the status operation).
 * prom-client's own `labels(...).inc()` hashes the label set on every call, which is what the
 * < 1 µs per message budget (bench: metrics-overhead) rules out.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface Sample {
  labels: Record<string, string>;
  value: number;
  /** For histogram lines: `_bucket`, `_sum` or `_count`. */
  suffix?: '_bucket' | '_sum' | '_count';
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  samples(): Sample[];
}

function labelObject(names: readonly string[], values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  names.forEach((name, i) => {
    labels[name] = values[i];
  });
  return labels;
}

/** A number the hot path bumps directly: `child.value++`. */
export interface CounterChild {
  value: number;
}

/** Families keyed by their label values (joined with a separator no label value holds here). */
abstract class Labelled<C> {
  protected readonly children = new Map<string, { values: readonly string[]; child: C }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  protected abstract create(): C;

  /** The child for these label values, created on first use; keep it to skip the lookup. */
  child(...values: string[]): C {
    if (values.length !== this.labelNames.length) throw new RangeError(`${this.name} takes labels ${this.labelNames.join(', ')} (got ${values.length} values)`);
    const key = values.join('\u0001');
    let found = this.children.get(key);
    if (!found) {
      found = { values, child: this.create() };
      this.children.set(key, found);
    }
    return found.child;
  }

  clear(): void {
    this.children.clear();
  }

  /** Drops every child whose first label (the credential) is `first`: e.g. a status of a closed connection. */
  forget(first: string): void {
    for (const [key, entry] of this.children) if (entry.values[0] === first) this.children.delete(key);
  }
}

export class CounterFamily extends Labelled<CounterChild> implements MetricFamily {
  readonly type = 'counter' as const;

  protected create(): CounterChild {
    return { value: 0 };
  }

  inc(values: string[], by = 1): void {
    this.child(...values).value += by;
  }

  /** The value of one label set (0 when never counted). */
  get(...values: string[]): number {
    return this.children.get(values.join('\u0001'))?.child.value ?? 0;
  }

  samples(): Sample[] {
    return [...this.children.values()].map(({ values, child }) => ({ labels: labelObject(this.labelNames, values), value: child.value }));
  }
}

/** A gauge set when something changes (bind state) or read at scrape time through `collect`. */
export class GaugeFamily extends Labelled<CounterChild> implements MetricFamily {
  readonly type = 'gauge' as const;
  /** Called before samples are read: sets the values that are cheaper to read than to track. */
  collect: (() => void) | null = null;

  protected create(): CounterChild {
    return { value: 0 };
  }

  set(values: string[], value: number): void {
    this.child(...values).value = value;
  }

  get(...values: string[]): number {
    return this.children.get(values.join('\u0001'))?.child.value ?? 0;
  }

  samples(): Sample[] {
    this.collect?.();
    return [...this.children.values()].map(({ values, child }) => ({ labels: labelObject(this.labelNames, values), value: child.value }));
  }
}

export class HistogramChild {
  /** Observations per bucket (not cumulative; the last one is +Inf). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }
}

export class HistogramFamily extends Labelled<HistogramChild> implements MetricFamily {
  readonly type = 'histogram' as const;

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    readonly bounds: readonly number[],
  ) {
    super(name, help, labelNames);
  }

  protected create(): HistogramChild {
    return new HistogramChild(this.bounds);
  }

  samples(): Sample[] {
    const out: Sample[] = [];
    for (const { values, child } of this.children.values()) {
      const labels = labelObject(this.labelNames, values);
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += child.counts[i];
        out.push({ labels: { ...labels, le: String(bound) }, value: cumulative, suffix: '_bucket' });
      });
      out.push({ labels: { ...labels, le: '+Inf' }, value: child.count, suffix: '_bucket' });
      out.push({ labels, value: child.sum, suffix: '_sum' });
      out.push({ labels, value: child.count, suffix: '_count' });
    }
    return out;
  }
}
