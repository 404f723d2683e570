/** A grant as TpsThrottle's onGrant reports it (times on the log's clock). */
export interface RecordedGrant {
  at: number;
  count: number;
  lifetimeMs: number;
  late?: boolean;
}

/**
 * The most tokens that submits in one sliding `windowMs` could have used, judged on the grants
 * alone: a grant's submits leave between its time and the end of its lifetime, so two grants can
 * feed one window when the later one came less than `windowMs` after the earlier one's end. On
 * one clock (Redis's TIME for a shared budget), so it cannot flake with the host's load. Late
 * writes (charged after the fact) are left out: they are not grants.
 */
export function busiestGrantSpan(grants: readonly RecordedGrant[], windowMs: number): number {
  const edges: Array<[number, number]> = [];
  for (const g of grants) {
    if (g.late) continue;
    edges.push([g.at, g.count], [g.at + g.lifetimeMs + windowMs, -g.count]);
  }
  // At equal times the end goes first: [start, end) intervals.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, delta] of edges) {
    open += delta;
    most = Math.max(most, open);
  }
  return most;
}
