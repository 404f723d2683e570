/**
 * The process-wide log of gateway events. Connections are shared by every workflow of the
 * process (src/registry), so their lines cannot go through one node's context: the nodes hand
 * n8n's logger in (useGatewayLogger, the same logger for every node of a process) and events
 * reported by transports, servers, modems and OTP go there.
 */
import { processWide } from '../process-wide/shared-resource-pool';
import { lineFor } from './gateway-events';
import type { GatewayEvent } from './gateway-events';
import { LINE_PREFIX, RateLimitedLines } from './gateway-logger';
import type { GatewayLogger } from './gateway-logger';

/** One line a minute per credential for bursts (throttled answers, unmatched receipts). */
export const BURST_LINE_INTERVAL_MS = 60_000;

interface LogState {
  logger: GatewayLogger | null;
  bursts: RateLimitedLines;
}

function state(): LogState {
  return processWide('observabilityLog', () => ({ logger: null, bursts: new RateLimitedLines(BURST_LINE_INTERVAL_MS) }));
}

/** Makes `logger` the destination of gateway lines (nodes call it with `this.logger`). */
export function useGatewayLogger(logger: GatewayLogger | undefined): void {
  if (logger) state().logger = logger;
}

/** For tests: a fresh burst limiter (e.g. with a fake clock). */
export function resetGatewayLog(bursts = new RateLimitedLines(BURST_LINE_INTERVAL_MS), logger: GatewayLogger | null = null): void {
  const s = state();
  s.bursts = bursts;
  s.logger = logger;
}

/** Writes the line of `event`; a logger that throws never breaks the connection that reported it. */
export function reportEvent(event: GatewayEvent): void {
  const logger = state().logger;
  if (!logger) return;
  const line = lineFor(event);
  try {
    logger[line.level](`${LINE_PREFIX}: ${line.message}`, line.fields);
  } catch {
    // Logging is best effort.
  }
}

/**
 * Reports a burst event at most once a minute per `key` (the credential and kind); the count of
 * those held back goes into the next line through `make(held)`.
 */
export function reportBurst(key: string, make: (held: number) => GatewayEvent): void {
  const s = state();
  if (!s.logger) return;
  const held = s.bursts.admit(key);
  if (held >= 0) reportEvent(make(held));
}
