// Types for build-freshness.js.
export function buildFreshness(root: string): { fresh: boolean; reason: string };
export function buildIfStale(root: string, log: (line: string) => void): boolean;
