import { decodeMessage } from '../encoding';
import { decodeArea, describeArea } from '../cellbroadcast/broadcast-area';
import type { AreaIdentifier, BroadcastArea } from '../cellbroadcast/broadcast-area';
import { decodeFrequency } from '../cellbroadcast/broadcast-frequency';
import type { FrequencyInterval } from '../cellbroadcast/broadcast-frequency';
import { AREA_SUCCESS_UNKNOWN, BroadcastStatus, messageStateCode } from '../cellbroadcast/smpp5-definitions';
import type { BroadcastState } from '../cellbroadcast/smpp5-definitions';
import { Status } from '../transport/smpp/command-status';
import { encodeGeneric } from '../transport/smpp/pdu/pdu-codec';
import type { DecodedPdu } from '../transport/smpp/pdu/pdu-codec';

export interface CellBroadcastCentreOptions {
  /** Time source for broadcast states (tests inject a manual clock instead of sleeping). */
  clock?: () => number;
  /** false: answer like an SMPP 3.4 SMSC, with generic_nack ESME_RINVCMDID to every broadcast PDU. Default true. */
  smpp5?: boolean;
  /** Area aliases the centre does not know: they come back as failed areas in broadcast_sm_resp. */
  unknownAliases?: string[];
  /** broadcast_area_success reported for every accepted area (0-100, default 100). */
  areaSuccessPercent?: number;
}

/** One broadcast_sm as the centre recorded it (JSON-friendly: the HTTP API shows it). */
export interface RecordedBroadcast {
  messageId: string;
  systemId: string;
  receivedAt: number;
  /** How many later broadcast_sm replaced this one in place (replace_if_present_flag). */
  replacements: number;
  source: { addr: string; ton: number; npi: number };
  serviceType: string;
  areas: BroadcastArea[];
  failedAreas: BroadcastArea[];
  text: string;
  dataCoding: number;
  repetitions: number;
  frequency: FrequencyInterval;
  frequencySeconds: number;
  endTime: number | null;
  priority: number;
  contentType: { network: number; type: number };
  channelIndicator: number;
  messageClass: number | null;
  cancelledAt: number | null;
}

export interface BroadcastView extends RecordedBroadcast {
  state: BroadcastState;
  /** Repetitions gone out so far. */
  broadcastsSent: number;
  active: boolean;
  areaDescriptions: string[];
}

interface Stored {
  record: RecordedBroadcast;
  /** The accepted areas' identifiers exactly as received, echoed in query_broadcast_sm_resp. */
  identifiers: AreaIdentifier[];
}

type Session = { systemId: string; bind: string | null };
type Fields = Record<string, unknown>;

function list<T>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}

function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' ? value : fallback;
}

/** The text of message_payload: node-smpp decodes UCS-2 itself and leaves GSM-7 (data_coding 0) as bytes. */
function payloadText(fields: Fields): string {
  const raw = fields.message_payload;
  const value = raw && typeof raw === 'object' && !Buffer.isBuffer(raw) ? (raw as { message?: unknown }).message : raw;
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return decodeMessage({ dataCoding: num(fields.data_coding), esmClass: 0, shortMessage: value }).text;
  return '';
}

/**
 * The sandbox's SMPP 5.0 cell broadcast centre: takes broadcast_sm (records areas and
 * parameters, answers with a message id), answers query_broadcast_sm with a state that goes
 * ENROUTE -> DELIVERED when the repetitions are done (or EXPIRED when the end time cuts them
 * short), and cancel_broadcast_sm (state DELETED). Wired into SandboxSmsc through onGeneric.
 */
export class CellBroadcastCentre {
  private options: Required<Omit<CellBroadcastCentreOptions, 'unknownAliases'>> & { unknownAliases: string[] };
  private readonly broadcasts = new Map<string, Stored>();
  private nextId = 1;
  readonly stats = { broadcasts: 0, rejected: 0, queries: 0, cancels: 0 };

  constructor(options: CellBroadcastCentreOptions = {}) {
    this.options = { clock: Date.now, smpp5: true, unknownAliases: [], areaSuccessPercent: 100 };
    this.configure(options);
  }

  configure(options: CellBroadcastCentreOptions): void {
    this.options = { ...this.options, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  }

  /** Answers a broadcast PDU, or returns null (the session then sends generic_nack ESME_RINVCMDID). */
  handle(session: Session, pdu: DecodedPdu): Buffer | null {
    if (!this.options.smpp5 || pdu.kind !== 'generic') return null;
    const fields = pdu.pdu as unknown as Fields;
    const answer = (fieldsOut: Fields, status = 0): Buffer => encodeGeneric(`${pdu.command}_resp`, pdu.sequence, fieldsOut, status);
    if (!['broadcast_sm', 'query_broadcast_sm', 'cancel_broadcast_sm'].includes(pdu.command)) return null;
    if (session.bind !== 'transmitter' && session.bind !== 'transceiver') return answer({}, Status.invalidBindStatus);
    if (pdu.command === 'broadcast_sm') return answer(...this.onBroadcast(session, fields));
    if (pdu.command === 'query_broadcast_sm') return answer(...this.onQuery(session, fields));
    return answer(...this.onCancel(session, fields));
  }

  private onBroadcast(session: Session, fields: Fields): [Fields, number] {
    const reject = (status: number): [Fields, number] => {
      this.stats.rejected++;
      return [{}, status];
    };
    const identifiers = list<AreaIdentifier>(fields.broadcast_area_identifier);
    if (identifiers.length === 0) return reject(BroadcastStatus.invalidAreaCount);
    const areas = identifiers.map(decodeArea);
    if (areas.some((a) => a.kind === 'unreadable')) return reject(BroadcastStatus.invalidAreaFormat);
    const contentType = fields.broadcast_content_type as { network: number; content_type: number } | undefined;
    if (!contentType) return reject(BroadcastStatus.invalidContentType);
    if (typeof fields.broadcast_rep_num !== 'number') return reject(BroadcastStatus.invalidRepetitions);
    const frequency = fields.broadcast_frequency_interval as FrequencyInterval | undefined;
    const frequencySeconds = frequency ? decodeFrequency(frequency) : null;
    if (!frequency || frequencySeconds === null) return reject(BroadcastStatus.invalidFrequency);
    const channelIndicator = num(fields.broadcast_channel_indicator);
    if (channelIndicator > 1) return reject(BroadcastStatus.invalidChannelIndicator);
    const messageClass = typeof fields.broadcast_message_class === 'number' ? fields.broadcast_message_class : null;
    if (messageClass !== null && messageClass > 3) return reject(BroadcastStatus.invalidMessageClass);
    if (fields.message_payload === undefined) return reject(BroadcastStatus.invalidMessageLength);

    const unknown = new Set(this.options.unknownAliases);
    const failed = areas.map((a) => a.kind === 'alias' && unknown.has(a.alias));
    if (failed.every(Boolean)) return reject(BroadcastStatus.invalidAliasName);
    const validity = fields.validity_period;
    const replaceId = num(fields.replace_if_present_flag) === 1 ? String(fields.message_id ?? '') : '';
    const replacing = replaceId ? this.broadcasts.get(replaceId) : undefined;
    const canReplace = replacing !== undefined && replacing.record.systemId === session.systemId && replacing.record.cancelledAt === null;
    const messageId = canReplace ? replaceId : `cb${(this.nextId++).toString(16).padStart(6, '0')}`;
    const record: RecordedBroadcast = {
      messageId,
      systemId: session.systemId,
      receivedAt: this.options.clock(),
      replacements: canReplace ? replacing.record.replacements + 1 : 0,
      source: { addr: String(fields.source_addr ?? ''), ton: num(fields.source_addr_ton), npi: num(fields.source_addr_npi) },
      serviceType: String(fields.service_type ?? ''),
      areas: areas.filter((_, i) => !failed[i]),
      failedAreas: areas.filter((_, i) => failed[i]),
      text: payloadText(fields),
      dataCoding: num(fields.data_coding),
      repetitions: fields.broadcast_rep_num,
      frequency: { unit: frequency.unit, interval: frequency.interval },
      frequencySeconds,
      endTime: validity instanceof Date && !Number.isNaN(validity.getTime()) ? validity.getTime() : null,
      priority: num(fields.priority_flag),
      contentType: { network: contentType.network, type: contentType.content_type },
      channelIndicator,
      messageClass,
      cancelledAt: null,
    };
    this.broadcasts.set(messageId, { record, identifiers: identifiers.filter((_, i) => !failed[i]) });
    this.stats.broadcasts++;
    const failedIds = identifiers.filter((_, i) => failed[i]).map((id) => ({ ...id }));
    return [{ message_id: messageId, ...(failedIds.length ? { failed_broadcast_area_identifier: failedIds } : {}) }, 0];
  }

  private find(session: Session, fields: Fields): Stored | undefined {
    const stored = this.broadcasts.get(String(fields.message_id ?? ''));
    return stored && stored.record.systemId === session.systemId ? stored : undefined;
  }

  private onQuery(session: Session, fields: Fields): [Fields, number] {
    this.stats.queries++;
    const stored = this.find(session, fields);
    if (!stored) return [{}, BroadcastStatus.invalidMessageId];
    const view = this.view(stored.record);
    const success = view.broadcastsSent > 0 ? this.options.areaSuccessPercent : AREA_SUCCESS_UNKNOWN;
    return [
      {
        message_id: view.messageId,
        message_state: messageStateCode(view.state),
        broadcast_area_identifier: stored.identifiers.map((id) => ({ ...id })),
        broadcast_area_success: stored.identifiers.map(() => success),
        ...(view.endTime !== null ? { broadcast_end_time: new Date(view.endTime) } : {}),
      },
      0,
    ];
  }

  private onCancel(session: Session, fields: Fields): [Fields, number] {
    this.stats.cancels++;
    const stored = this.find(session, fields);
    if (!stored) return [{}, BroadcastStatus.invalidMessageId];
    if (!this.view(stored.record).active) return [{}, BroadcastStatus.cancelFailed];
    stored.record.cancelledAt = this.options.clock();
    return [{}, 0];
  }

  /** State at the centre's clock: DELETED once cancelled; DELIVERED when all repetitions are done; EXPIRED when the end time came first. */
  private view(record: RecordedBroadcast): BroadcastView {
    const now = this.options.clock();
    const step = record.frequencySeconds * 1000;
    const allDoneAt = record.repetitions > 0 ? record.receivedAt + record.repetitions * step : null;
    let state: BroadcastState = 'ENROUTE';
    if (record.cancelledAt !== null) state = 'DELETED';
    else if (allDoneAt !== null && (record.endTime === null || allDoneAt <= record.endTime)) state = now >= allDoneAt ? 'DELIVERED' : 'ENROUTE';
    else if (record.endTime !== null && now >= record.endTime) state = record.repetitions === 0 ? 'DELIVERED' : 'EXPIRED';
    // Repetition k goes out at receivedAt + k * step: those at or before now count, those at or after a cancel or the end time do not.
    const limit = record.repetitions > 0 ? record.repetitions : Infinity;
    const cutoff = Math.min(record.cancelledAt ?? Infinity, record.endTime ?? Infinity) - record.receivedAt;
    const byNow = step > 0 ? Math.floor((now - record.receivedAt) / step) + 1 : 1;
    const byCutoff = step > 0 ? Math.ceil(cutoff / step) : cutoff > 0 ? 1 : 0;
    const sent = Math.max(0, Math.min(limit, byNow, byCutoff));
    return { ...record, state, broadcastsSent: sent, active: state === 'ENROUTE', areaDescriptions: record.areas.map(describeArea) };
  }

  /** Every broadcast received, oldest first, with its state now. */
  list(): BroadcastView[] {
    return [...this.broadcasts.values()].map((s) => this.view(s.record));
  }

  /** Broadcasts still on air. */
  active(): BroadcastView[] {
    return this.list().filter((b) => b.active);
  }

  get(messageId: string): BroadcastView | undefined {
    const stored = this.broadcasts.get(messageId);
    return stored ? this.view(stored.record) : undefined;
  }

  clear(): void {
    this.broadcasts.clear();
  }
}
