/**
 * Captures everything n8n logs, so tests can assert what was (and was not) logged.
 *
 * n8n has two ways in: the engine logs through n8n-workflow's LoggerProxy, and a node's
 * `this.logger` (and credential tests' `this.logger`) is the DI container's
 * `Logger` from @n8n/backend-common. Installing the capture routes both here.
 */
import './n8n-environment'; // must come before n8n's modules load
import { Logger as ContainerLogger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy } from 'n8n-workflow';
import type { Logger, LogMetadata } from 'n8n-workflow';

export type LogLevelName = 'error' | 'warn' | 'info' | 'debug';

export interface LogEntry {
  level: LogLevelName;
  message: string;
  metadata?: LogMetadata;
}

export class LogCapture implements Logger {
  readonly entries: LogEntry[] = [];
  private forwardTo: Logger | undefined;

  error(message: string, metadata?: LogMetadata): void {
    this.record('error', message, metadata);
  }

  warn(message: string, metadata?: LogMetadata): void {
    this.record('warn', message, metadata);
  }

  info(message: string, metadata?: LogMetadata): void {
    this.record('info', message, metadata);
  }

  debug(message: string, metadata?: LogMetadata): void {
    this.record('debug', message, metadata);
  }

  /** n8n-core services call `logger.scoped(...)` on the container logger; scopes are not kept. */
  scoped(): this {
    return this;
  }

  /** Position to pass to `since()` / `text()` to look only at what is logged after now. */
  mark(): number {
    return this.entries.length;
  }

  since(mark: number): LogEntry[] {
    return this.entries.slice(mark);
  }

  /**
   * Every entry from `mark` on as one string: level, message and metadata, with errors'
   * messages and stacks and buffers' text spelled out, so `expect(text).not.toContain(secret)`
   * sees a secret wherever it hides.
   */
  text(mark = 0): string {
    return this.since(mark)
      .map((entry) => `[${entry.level}] ${entry.message} ${serializeForSearch(entry.metadata)}`)
      .join('\n');
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** Also pass every entry to another logger (e.g. the console while debugging a test). */
  forward(logger: Logger | undefined): void {
    this.forwardTo = logger;
  }

  private record(level: LogLevelName, message: string, metadata?: LogMetadata): void {
    this.entries.push({ level, message, metadata });
    this.forwardTo?.[level](message, metadata);
  }
}

/** JSON-like text of any value, tolerant of cycles, errors, buffers and bigints. */
export function serializeForSearch(value: unknown): string {
  const seen = new WeakSet<object>();
  const replacer = (_key: string, current: unknown): unknown => {
    if (typeof current === 'bigint') return current.toString();
    if (typeof current !== 'object' || current === null) return current;
    if (seen.has(current)) return '[circular]';
    seen.add(current);
    if (current instanceof Error) {
      // message, stack, cause and errors are own but not enumerable: list every own property.
      const fields: Record<string, unknown> = { name: current.name };
      for (const key of Object.getOwnPropertyNames(current)) fields[key] = (current as unknown as Record<string, unknown>)[key];
      return fields;
    }
    if (isSerializedBuffer(current)) {
      const bytes = Buffer.from(current.data);
      return { utf8: bytes.toString('utf8'), hex: bytes.toString('hex') };
    }
    return current;
  };
  return JSON.stringify(value, replacer) ?? '';
}

// JSON.stringify calls Buffer#toJSON before the replacer sees the value.
function isSerializedBuffer(value: unknown): value is { type: 'Buffer'; data: number[] } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data);
}

/** The one capture of this jest file (n8n's loggers are process-wide singletons). */
export const logCapture = new LogCapture();

/** Routes n8n's LoggerProxy and the DI container's Logger to `logCapture`. Idempotent. */
export function installLogCapture(): LogCapture {
  LoggerProxy.init(logCapture);
  // The container logger is a class; ours has the same public logging surface.
  Container.set(ContainerLogger, logCapture as unknown as ContainerLogger);
  return logCapture;
}
