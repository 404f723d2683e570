import { CommandId } from '../transport/smpp/pdu/command-ids';
import type { DecodedPdu } from '../transport/smpp/pdu/pdu-codec';
import { SmppTransport } from '../transport/smpp/smpp-transport';
import { SmppBindError } from '../transport/smpp/types';
import type { SmppTransportOptions } from '../transport/smpp/types';
import { decodeArea } from './broadcast-area';
import type { AreaIdentifier, BroadcastArea } from './broadcast-area';
import { buildBroadcastSm } from './broadcast-request';
import type { BroadcastPlan, BroadcastSource, CellBroadcastRequest } from './broadcast-request';
import { CellBroadcastRejectedError, CellBroadcastUnsupportedError, describeBroadcastStatus } from './cell-broadcast-errors';
import { AREA_SUCCESS_UNKNOWN, BroadcastStatus, messageStateName } from './smpp5-definitions';
import type { BroadcastState } from './smpp5-definitions';

/** SMPP 5.0 interface_version, needed at bind for broadcast_sm. */
export const SMPP_5_0 = 0x50;
const ESME_RINVCMDID = 0x03;

/** The part of SmppTransport the client uses (a bound transport; tests may pass their own). */
export type BroadcastTransport = Pick<SmppTransport, 'request' | 'label'>;

export interface CellBroadcastClientOptions {
  /** source_addr of broadcast_sm; query and cancel must name the same one. */
  source?: BroadcastSource;
  serviceType?: string;
  /** Clock for validityMinutes (tests inject one). */
  now?: () => number;
}

export interface BroadcastResult {
  messageId: string;
  /** Areas the centre could not broadcast to (failed_broadcast_area_identifier), decoded. */
  failedAreas: BroadcastArea[];
  plan: BroadcastPlan;
}

export interface AreaState {
  area: BroadcastArea;
  /** Share of the area's cells that broadcast it, 0-100; null when the centre does not know. */
  successPercent: number | null;
}

export interface BroadcastStatusReport {
  messageId: string;
  state: BroadcastState | `UNKNOWN(${number})`;
  perArea: AreaState[];
  endTime: Date | null;
}

function list<T>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}

/**
 * Cell broadcast over SMPP 5.0 (broadcast_sm, query_broadcast_sm, cancel_broadcast_sm) on a
 * transport bound with interface_version 0x50. A peer that speaks only SMPP 3.4 shows up as a
 * generic_nack (or a response) with ESME_RINVCMDID: that becomes CellBroadcastUnsupportedError.
 */
export class CellBroadcastClient {
  private readonly source: BroadcastSource;
  private readonly now: () => number;

  constructor(
    private readonly transport: BroadcastTransport,
    private readonly options: CellBroadcastClientOptions = {},
  ) {
    this.source = options.source ?? { addr: '' };
    this.now = options.now ?? Date.now;
  }

  /** Starts a transport bound as SMPP 5.0; a refused bind (not a wrong password) means no cell broadcast. */
  static async connect(
    transportOptions: SmppTransportOptions,
    options: CellBroadcastClientOptions = {},
  ): Promise<{ client: CellBroadcastClient; transport: SmppTransport }> {
    const transport = new SmppTransport({ ...transportOptions, interfaceVersion: SMPP_5_0 });
    try {
      await transport.start();
    } catch (err) {
      throw asUnsupportedBind(err);
    }
    return { client: new CellBroadcastClient(transport, options), transport };
  }

  async broadcast(request: CellBroadcastRequest): Promise<BroadcastResult> {
    const { fields, plan } = buildBroadcastSm(request, this.source, this.now());
    const response = await this.send('broadcast_sm', { service_type: this.options.serviceType ?? '', ...fields });
    const pdu = response.kind === 'generic' ? response.pdu : undefined;
    const messageId = String(pdu?.message_id ?? '');
    if (!messageId) throw new Error(`the carrier accepted the broadcast_sm but sent no message_id (${this.transport.label})`);
    const failedAreas = list<AreaIdentifier>(pdu?.failed_broadcast_area_identifier).map(decodeArea);
    return { messageId, failedAreas, plan };
  }

  async query(messageId: string): Promise<BroadcastStatusReport> {
    const response = await this.send('query_broadcast_sm', { message_id: messageId, ...this.sourceFields() }, ` for message id ${messageId}`);
    const pdu = response.kind === 'generic' ? response.pdu : undefined;
    const areas = list<AreaIdentifier>(pdu?.broadcast_area_identifier).map(decodeArea);
    const success = list<number>(pdu?.broadcast_area_success);
    const end = pdu?.broadcast_end_time;
    return {
      messageId: String(pdu?.message_id ?? messageId),
      state: messageStateName(Number(pdu?.message_state ?? 7)),
      perArea: areas.map((area, i) => ({ area, successPercent: success[i] === undefined || success[i] === AREA_SUCCESS_UNKNOWN ? null : success[i] })),
      endTime: end instanceof Date && !Number.isNaN(end.getTime()) ? end : null,
    };
  }

  async cancel(messageId: string): Promise<void> {
    await this.send(
      'cancel_broadcast_sm',
      { service_type: this.options.serviceType ?? '', message_id: messageId, ...this.sourceFields() },
      ` for message id ${messageId}`,
    );
  }

  private sourceFields(): Record<string, unknown> {
    return { source_addr_ton: this.source.ton ?? 0, source_addr_npi: this.source.npi ?? 0, source_addr: this.source.addr };
  }

  private async send(command: string, fields: Record<string, unknown>, context = ''): Promise<DecodedPdu> {
    const response = await this.transport.request(command, fields);
    if (response.commandId === CommandId.genericNack || response.status === ESME_RINVCMDID) {
      if (response.status === ESME_RINVCMDID)
        throw new CellBroadcastUnsupportedError(`${this.transport.label} answered ${command} with ${describeBroadcastStatus(response.status)}`);
      throw new CellBroadcastRejectedError(command, response.status, `${context} (generic_nack)`);
    }
    if (response.status !== 0) throw new CellBroadcastRejectedError(command, response.status, context);
    return response;
  }
}

/** Maps a failed SMPP 5.0 bind to the "no cell broadcast" error, keeping wrong passwords as they are. */
export function asUnsupportedBind(err: unknown): unknown {
  if (err instanceof SmppBindError && err.code === 'rejected') {
    return new CellBroadcastUnsupportedError(`it refused a bind with interface_version 0x50 (${err.message})`);
  }
  return err;
}

/** Statuses that mean "that broadcast is not running (any more)" when cancelling. */
export function isNotRunning(err: unknown): boolean {
  return err instanceof CellBroadcastRejectedError && (err.status === BroadcastStatus.cancelFailed || err.status === BroadcastStatus.invalidMessageId);
}
