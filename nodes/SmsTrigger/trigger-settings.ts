import type { IDataObject, ITriggerFunctions } from 'n8n-workflow';
import { compileEventFilter, FilterSettingError } from '../../src/inbound';
import type { EventFilter, KeywordMatch, InboundEventType, OptOutKeywordOptions } from '../../src/inbound';
import { resolveDefaultCountry } from '../../src/phone';
import { FieldError } from '../shared/errors/field-error';

export type TriggerSource = 'carrier' | 'server' | 'modem';
export type AcknowledgeMode = 'workflowDone' | 'emitted';

/** Everything the trigger needs from its parameters, checked; problems are FieldErrors naming the parameter. */
export interface TriggerSettings {
  source: TriggerSource;
  eventTypes: InboundEventType[];
  senders: string[];
  keywordMatch: KeywordMatch;
  keywords: string[];
  optOut?: OptOutKeywordOptions;
  acknowledge: AcknowledgeMode;
  ackTimeoutMs: number;
  bindMode: 'credential' | 'receiver' | 'transceiver';
  /** From the node's options; the SMPP credential's applies when empty. */
  defaultCountry?: string;
  reassemblyTimeoutMs: number;
  maxPendingMessages: number;
  listen: ListenSettings;
  /** Server mode: STOP/START in submits of the bound application update the opt-out list (off: they are ordinary messages). */
  trustServerOptOut: boolean;
}

/** Server mode: where to listen and the limits that keep the port usable under attack. */
export interface ListenSettings {
  host: string;
  port: number;
  maxConnections: number;
  maxConnectionsPerAddress: number;
  bindTimeoutMs: number;
  tlsHandshakeTimeoutMs: number;
  windowPerConnection: number;
}

const wholeFrom =
  (min: number, max: number) =>
  (n: number): boolean =>
    Number.isInteger(n) && n >= min && n <= max;
const secondsFrom =
  (min: number, max: number) =>
  (n: number): boolean =>
    n >= min && n <= max;

export function splitList(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function numberOption(options: IDataObject, name: string, label: string, fallback: number, check: (n: number) => boolean, rule: string): number {
  const raw = options[name];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !check(value)) throw new FieldError(name, `${label} must be ${rule} (got "${String(raw)}")`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, label: string): T {
  if (allowed.includes(value as T)) return value as T;
  throw new FieldError(field, `${label} "${String(value)}" is not one of ${allowed.join(', ')}`);
}

export function readTriggerSettings(ctx: ITriggerFunctions): TriggerSettings {
  const param = <T>(name: string, fallback: T): T => ctx.getNodeParameter(name, fallback) as T;
  const source = oneOf(param('source', 'carrier'), ['carrier', 'server', 'modem'] as const, 'source', 'Source');
  const eventTypes = param<string[]>('events', ['message', 'receipt']);
  if (!Array.isArray(eventTypes) || eventTypes.length === 0) throw new FieldError('events', 'Events: choose at least one event type');
  const keywordMatch = oneOf(param('keywordMatch', 'none'), ['none', 'exact', 'startsWith', 'regex'] as const, 'keywordMatch', 'Keyword Filter');
  const keywords = keywordMatch === 'regex' ? [String(param('keywordRegex', ''))] : keywordMatch === 'none' ? [] : splitList(String(param('keywords', '')));
  const options = param<IDataObject>('options', {});
  const defaultCountryText = String(options.defaultCountry ?? '').trim();
  let defaultCountry: string | undefined;
  try {
    defaultCountry = resolveDefaultCountry(defaultCountryText);
  } catch (err) {
    // Every bad setting here is a FieldError naming the parameter; startInboundTrigger turns it
    // into a NodeOperationError that says which one to fix.
    // eslint-disable-next-line @n8n/community-nodes/require-node-api-error
    throw new FieldError('defaultCountry', `Default Country: ${(err as Error).message}`);
  }
  const settings: TriggerSettings = {
    source,
    eventTypes: eventTypes as InboundEventType[],
    senders: splitList(String(param('senderFilter', ''))),
    keywordMatch,
    keywords,
    acknowledge: oneOf(options.acknowledge ?? 'workflowDone', ['workflowDone', 'emitted'] as const, 'acknowledge', 'Acknowledge'),
    ackTimeoutMs: numberOption(options, 'ackTimeoutSeconds', 'Acknowledge Timeout (Seconds)', 30, (n) => n > 0, 'more than 0') * 1000,
    bindMode: oneOf(options.bindMode ?? 'credential', ['credential', 'receiver', 'transceiver'] as const, 'bindMode', 'Bind Mode'),
    defaultCountry,
    reassemblyTimeoutMs: numberOption(options, 'reassemblyTimeoutSeconds', 'Incomplete Message Timeout (Seconds)', 60, (n) => n > 0, 'more than 0') * 1000,
    maxPendingMessages: numberOption(
      options,
      'maxPendingMessages',
      'Max Unfinished Long Messages',
      1000,
      (n) => Number.isInteger(n) && n >= 1,
      'a whole number of at least 1',
    ),
    listen: {
      host: '0.0.0.0',
      port: 0,
      maxConnections: 50,
      maxConnectionsPerAddress: 10,
      bindTimeoutMs: 5000,
      tlsHandshakeTimeoutMs: 5000,
      windowPerConnection: 100,
    },
    trustServerOptOut: false,
  };
  if (source === 'server') {
    const port = Number(param('port', 2775));
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new FieldError('port', `Port must be 0-65535 (got ${String(port)})`);
    settings.listen = {
      host: String(param('host', '0.0.0.0')).trim() || '0.0.0.0',
      port,
      maxConnections: numberOption(options, 'maxConnections', 'Max Connections', 50, wholeFrom(1, 10_000), 'a whole number from 1 to 10000'),
      maxConnectionsPerAddress: numberOption(
        options,
        'maxConnectionsPerAddress',
        'Max Connections per Address',
        10,
        wholeFrom(1, 1000),
        'a whole number from 1 to 1000',
      ),
      bindTimeoutMs: numberOption(options, 'bindTimeoutSeconds', 'Bind Timeout (Seconds)', 5, secondsFrom(0.1, 300), 'from 0.1 to 300') * 1000,
      tlsHandshakeTimeoutMs:
        numberOption(options, 'tlsHandshakeTimeoutSeconds', 'TLS Handshake Timeout (Seconds)', 5, secondsFrom(0.1, 120), 'from 0.1 to 120') * 1000,
      windowPerConnection: numberOption(
        options,
        'windowPerConnection',
        'Window per Connection',
        100,
        (n) => Number.isInteger(n) && n >= 1,
        'a whole number of at least 1',
      ),
    };
    settings.trustServerOptOut = options.trustOptOutFromServer === true;
  }
  if (param('handleOptOut', true) === true) {
    const list = String(param('optOutList', 'default')).trim();
    if (list === '') throw new FieldError('optOutList', 'Opt-Out List: the list name is empty');
    settings.optOut = {
      list,
      stopKeywords: splitList(String(param('stopKeywords', ''))),
      startKeywords: splitList(String(param('startKeywords', ''))),
    };
  }
  return settings;
}

/** The node's filter; a bad keyword setting becomes a FieldError naming the parameter. */
export function eventFilterFor(settings: TriggerSettings, defaultCountry: string | undefined): EventFilter {
  try {
    return compileEventFilter({
      eventTypes: settings.eventTypes,
      senders: settings.senders,
      keywordMatch: settings.keywordMatch,
      keywords: settings.keywords,
      defaultCountry,
    });
  } catch (err) {
    // The core's FilterSettingError becomes a FieldError with the node's parameter name; that and
    // anything else reach startInboundTrigger, which hands n8n a NodeOperationError.
    if (err instanceof FilterSettingError) {
      const field = err.field === 'keywords' && settings.keywordMatch === 'regex' ? 'keywordRegex' : err.field;
      // eslint-disable-next-line @n8n/community-nodes/require-node-api-error
      throw new FieldError(field, err.message);
    }
    // eslint-disable-next-line @n8n/community-nodes/require-node-api-error
    throw err;
  }
}
