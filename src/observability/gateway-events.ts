/**
 * What happens to a connection that an operator wants in the log, and the line each one writes.
 * Levels: `info` stays quiet while every link is healthy (a first bind, a recovery); `warn` is
 * something an operator may act on; `error` is a connection that is gone for good. Every line
 * names the credential (never a host's password, an OTP code or a secret).
 */
import type { LogFields, LogLevel } from './gateway-logger';

export type GatewayEvent =
  | { type: 'smpp.bound'; credential: string; systemId: string; tls: boolean; mode: string; afterDrop: boolean }
  | { type: 'smpp.unbound'; credential: string; reason: string; inFlight: number; expected: boolean }
  | { type: 'smpp.reconnecting'; credential: string; attempt: number; delayMs: number; reason: string }
  | { type: 'smpp.bindFailed'; credential: string; attempt: number; reason: string }
  | { type: 'smpp.gaveUp'; credential: string; reason: string }
  | { type: 'smpp.throttled'; credential: string; statusName: string; held: number }
  | { type: 'smpp.windowSaturated'; credential: string; seconds: number; window: number; queued: number }
  | { type: 'smpp.windowRecovered'; credential: string; seconds: number }
  | { type: 'receipt.unmatched'; credential: string; messageId: string; held: number }
  | { type: 'server.bound'; credential: string; systemId: string; remote: string }
  | { type: 'server.bindRefused'; credential: string; systemId: string; remote: string; reason: string; lockedNow: boolean }
  | { type: 'server.bindRefusedSummary'; credential: string; remote: string; count: number }
  | { type: 'modem.registration'; credential: string; status: string; registered: boolean }
  | { type: 'modem.signal'; credential: string; dbm: number | null; band: SignalBand };

/** How usable a modem's signal is: none (AT+CSQ 99), weak (CSQ 9 or less, -95 dBm or below: sends may fail), ok. */
export type SignalBand = 'none' | 'weak' | 'ok';

/** Longest client-chosen text (a system_id) a line quotes. */
const CLIENT_TEXT_CHARS = 16;

/**
 * A system_id a client sent, fit for a log line: quoted and escaped like JSON (a newline cannot
 * forge a line), at most 16 characters. One that is no account's may be anything, e.g. a password
 * typed into the wrong field: only its first 2 characters and its length are shown.
 */
export function clientSystemId(systemId: string, known: boolean): string {
  if (!known) return `${JSON.stringify(systemId.slice(0, 2))}... (${systemId.length} characters, no such account)`;
  const cut = systemId.length > CLIENT_TEXT_CHARS ? `${systemId.slice(0, CLIENT_TEXT_CHARS)}...` : systemId;
  return JSON.stringify(cut);
}

export interface LogLine {
  level: LogLevel;
  message: string;
  fields: LogFields;
}

function held(count: number): string {
  return count > 0 ? ` (${count} more since the last line)` : '';
}

/** The line for one event; `fields` repeat the facts for log collectors that read metadata. */
export function lineFor(event: GatewayEvent): LogLine {
  const { type, ...fields } = event;
  const base = { event: type, ...fields } as LogFields;
  const who = `"${event.credential}"`;
  switch (event.type) {
    case 'smpp.bound':
      return {
        // The first bind of a connection is routine (debug: a Send SMS in regular mode opens one per run); a bind regained after a drop is news.
        level: event.afterDrop ? 'info' : 'debug',
        message: `SMPP ${who} bound as ${event.mode} to the carrier's system "${event.systemId}" (${event.tls ? 'TLS' : 'no TLS'})${event.afterDrop ? ' again after the link dropped' : ''}`,
        fields: base,
      };
    case 'smpp.unbound':
      return {
        level: event.expected ? 'debug' : 'warn',
        message: `SMPP ${who} link down: ${event.reason}${event.inFlight > 0 ? `; ${event.inFlight} message part(s) without an answer will be resent as possible duplicates` : ''}`,
        fields: base,
      };
    case 'smpp.reconnecting':
      return { level: 'warn', message: `SMPP ${who} reconnecting (attempt ${event.attempt}, in ${event.delayMs} ms) after: ${event.reason}`, fields: base };
    case 'smpp.bindFailed':
      return { level: 'warn', message: `SMPP ${who} reconnect attempt ${event.attempt} failed: ${event.reason}`, fields: base };
    case 'smpp.gaveUp':
      return { level: 'error', message: `SMPP ${who} gave up reconnecting: ${event.reason}; the next send opens a new connection`, fields: base };
    case 'smpp.throttled':
      return {
        level: 'warn',
        message: `SMPP ${who} the carrier is throttling (${event.statusName}); messages are retried with backoff${held(event.held)}`,
        fields: base,
      };
    case 'smpp.windowSaturated':
      return {
        level: 'warn',
        message: `SMPP ${who} send window full for ${event.seconds} s (${event.window} outstanding, ${event.queued} waiting): the carrier answers slower than we send`,
        fields: base,
      };
    case 'smpp.windowRecovered':
      return { level: 'info', message: `SMPP ${who} send window no longer full after ${event.seconds} s`, fields: base };
    case 'receipt.unmatched':
      // Normal in queue mode (workers send, the trigger's process receives) and after a restart: debug.
      return {
        level: 'debug',
        message: `SMPP ${who} receipt for message ID ${event.messageId} that this process did not send${held(event.held)}`,
        fields: base,
      };
    case 'server.bound':
      return { level: 'debug', message: `SMPP server ${who}: ${event.systemId} bound from ${event.remote}`, fields: base };
    case 'server.bindRefused':
      return {
        level: 'warn',
        message: `SMPP server ${who}: bind of ${event.systemId} from ${event.remote} refused (${event.reason})${event.lockedNow ? '; that address is now locked out' : ''}`,
        fields: base,
      };
    case 'server.bindRefusedSummary':
      return { level: 'warn', message: `SMPP server ${who}: ${event.count} more refused bind(s) from ${event.remote} in the last minute`, fields: base };
    case 'modem.registration':
      return { level: event.registered ? 'info' : 'warn', message: `Modem ${who} network registration: ${event.status}`, fields: base };
    case 'modem.signal':
      return {
        level: event.band === 'ok' ? 'info' : 'warn',
        message:
          event.dbm === null ? `Modem ${who} reports no signal` : `Modem ${who} signal ${event.band === 'ok' ? 'usable again' : 'weak'}: ${event.dbm} dBm`,
        fields: { ...base, dbm: event.dbm ?? undefined },
      };
  }
}
