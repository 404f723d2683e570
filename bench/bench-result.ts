import * as fs from 'fs';
import * as path from 'path';

/** One line of bench/results.json: ours next to the baseline measured in the same run. */
export interface BenchResult {
  name: string;
  unit: string;
  ours: number;
  baseline: number | null;
  ratio: number | null;
  /** What the baseline is (raw smpp client, window/latency bound, target, ...). */
  baselineIs?: string;
  target?: string;
}

export function result(name: string, unit: string, ours: number, baseline: number | null, baselineIs?: string, target?: string): BenchResult {
  const round = (n: number): number => Math.round(n * 1000) / 1000;
  return {
    name,
    unit,
    ours: round(ours),
    baseline: baseline === null ? null : round(baseline),
    ratio: baseline ? round(ours / baseline) : null,
    baselineIs,
    target,
  };
}

export function printTable(results: BenchResult[]): void {
  const rows = results.map((r) => [
    r.name,
    `${r.ours} ${r.unit}`,
    r.baseline === null ? '-' : `${r.baseline} ${r.unit}`,
    r.ratio === null ? '-' : r.ratio.toFixed(3),
    r.baselineIs ?? '',
    r.target ?? '',
  ]);
  const head = ['benchmark', 'ours', 'baseline', 'ratio', 'baseline is', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** Writes results where the source tree keeps them (bench/results.json), also when run from dist/. */
export function writeResults(file: string, results: BenchResult[]): string {
  const root = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
  const target = path.join(root, 'bench', file);
  // A partial run (BENCH_ONLY) replaces its own rows and keeps the others from the last full run.
  let merged: Array<{ name: string }> = results as unknown as Array<{ name: string }>;
  if (process.env.BENCH_ONLY && fs.existsSync(target)) {
    const fresh = new Set(merged.map((r) => r.name));
    const previous = (JSON.parse(fs.readFileSync(target, 'utf8')) as Array<{ name: string }>).filter((r) => !fresh.has(r.name));
    merged = [...previous, ...merged];
  }
  fs.writeFileSync(target, JSON.stringify(merged, null, 2) + '\n');
  return target;
}
