/**
 * Delivery receipts for the applications that submit to the SMS Trigger's SMPP server: Send SMS
 * forwards their message and reports the carrier's outcome ("Report Delivery to Application"), or a
 * workflow answers with a status of its own (the "Send Receipt to Application" operation).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { ApplicationReceipts, ReportResult } from '../../src/dlr';
import { RECEIPT_STATUSES } from '../../src/transport/smpp';
import type { ReceiptStatus, ClientReceiptOutcome } from '../../src/transport/smpp';
import { receiptTrackerOf } from '../../src/registry';
import { applicationReceiptsFor } from '../shared/state/state-stores';
import type { SenderPlan } from '../shared/sending/sender-transport';
import { readMessageIds } from './get-delivery-status.operation';

const APPLICATION_IDS_HINT =
  "The messageIds of the SMS Gateway Trigger event (SMPP server) this message came in as, e.g. {{ $('SMS Gateway Trigger').item.json.messageIds }}";

/** The Send option: which application message(s) this SMS forwards. */
export const reportToApplicationOption: INodeProperties = {
  displayName: 'Report Delivery to Application (Message IDs)',
  name: 'reportToApplication',
  type: 'string',
  default: '',
  description: `${APPLICATION_IDS_HINT}. Send SMS waits for the carrier's final receipt and the application that submitted the message gets a delivery receipt for its own message ID, on its own bind.`,
};

const show = { show: { operation: ['sendApplicationReceipt'] } };

export const sendApplicationReceiptProperties: INodeProperties[] = [
  {
    displayName: 'Application Message IDs',
    name: 'applicationMessageIds',
    type: 'string',
    default: '',
    required: true,
    displayOptions: show,
    placeholder: '={{ $json.messageIds }}',
    description: APPLICATION_IDS_HINT,
  },
  {
    displayName: 'Status',
    name: 'receiptStatus',
    type: 'options',
    default: 'REJECTD',
    displayOptions: show,
    // Sorted by label, as the n8n lint asks.
    options: [
      { name: 'ACCEPTD (Intermediate)', value: 'ACCEPTD' },
      { name: 'DELETED', value: 'DELETED' },
      { name: 'DELIVRD (Delivered)', value: 'DELIVRD' },
      { name: 'ENROUTE (Intermediate)', value: 'ENROUTE' },
      { name: 'EXPIRED', value: 'EXPIRED' },
      { name: 'REJECTD (e.g. Filtered Out by the Workflow)', value: 'REJECTD' },
      { name: 'UNDELIV (Undeliverable)', value: 'UNDELIV' },
      { name: 'UNKNOWN', value: 'UNKNOWN' },
    ],
  },
  {
    displayName: 'Error Code',
    name: 'receiptError',
    type: 'string',
    default: '',
    displayOptions: show,
    placeholder: '000',
    description: 'The err: field of the receipt (up to 3 digits); empty: 000, or 001 for a failure',
  },
];

/** The outcome for the application from the results of the SMS that forwarded its message. */
export function outcomeOf(statuses: Array<{ status: string; error?: string }>): ClientReceiptOutcome {
  const worst = statuses.find((s) => s.status !== 'DELIVRD') ?? statuses[0] ?? { status: 'UNKNOWN' };
  const status = RECEIPT_STATUSES.includes(worst.status as ReceiptStatus) ? (worst.status as ReceiptStatus) : 'UNKNOWN';
  return { status, error: worst.error, doneAt: Date.now() };
}

/** Reports `outcome` for every id; the result per id ('queued' or 'not_requested'). */
export async function reportOutcome(store: ApplicationReceipts, messageIds: string[], outcome: ClientReceiptOutcome): Promise<ReportResult[]> {
  return Promise.all(messageIds.map((id) => store.report(id, outcome)));
}

/** The "Send Receipt to Application" operation: an explicit status for application messages. */
export async function sendApplicationReceipt(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
  const { store } = await applicationReceiptsFor(ctx);
  const out: INodeExecutionData[] = [];
  for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
    try {
      const ids = readMessageIds(ctx.getNodeParameter('applicationMessageIds', itemIndex));
      if (ids.length === 0) {
        throw new NodeOperationError(ctx.getNode(), 'Application Message IDs is empty: map the messageIds of the SMS Gateway Trigger event', {
          itemIndex,
          description: `Check the "Application Message IDs" field of item ${itemIndex + 1}`,
        });
      }
      const status = String(ctx.getNodeParameter('receiptStatus', itemIndex, 'REJECTD')) as ReceiptStatus;
      if (!RECEIPT_STATUSES.includes(status))
        throw new NodeOperationError(ctx.getNode(), `Status "${status}" is not a receipt status (${RECEIPT_STATUSES.join(', ')})`, { itemIndex });
      const error = String(ctx.getNodeParameter('receiptError', itemIndex, '') ?? '').trim();
      if (error !== '' && !/^\d{1,3}$/.test(error))
        throw new NodeOperationError(ctx.getNode(), `Error Code must be up to 3 digits (got "${error.slice(0, 20)}")`, {
          itemIndex,
          description: `Check the "Error Code" field of item ${itemIndex + 1}`,
        });
      const results = await reportOutcome(store, ids, { status, error: error || undefined, doneAt: Date.now() });
      const json: IDataObject = { messageIds: ids, status, results };
      if (results.includes('not_requested'))
        json.note =
          'not_requested: the application asked for no receipt for that ID, or the SMS Gateway Trigger runs in another process (use the Redis State Store on both in queue mode)';
      out.push({ json, pairedItem: { item: itemIndex } });
    } catch (err) {
      if (!ctx.continueOnFail()) throw err instanceof NodeOperationError ? err : new NodeOperationError(ctx.getNode(), err as Error, { itemIndex });
      out.push({ json: { status: 'failed', error: (err as Error).message }, pairedItem: { item: itemIndex } });
    }
  }
  return out;
}

/** What Send SMS knows of one recipient of an item that forwards application messages. */
export interface ForwardedJob {
  itemIndex: number;
  applicationIds?: string[];
  earlier?: unknown;
  result?: { status: string; messageIds: string[]; delivery?: IDataObject };
  /** Every part got a final receipt. */
  deliveredFinal?: boolean;
}

/**
 * "Report Delivery to Application": per input item, one outcome for the application message(s) it
 * forwards: the worst of its recipients (refused, opted out or failed: REJECTD). Parts still without
 * a final receipt are waited for in the background (this process, up to a day) and reported then.
 */
export async function reportToApplications(ctx: IExecuteFunctions, jobs: ForwardedJob[], plan: SenderPlan): Promise<Map<number, IDataObject>> {
  const byItem = new Map<number, ForwardedJob[]>();
  // A recipient an earlier run of the same idempotency key sent was reported by that run.
  for (const job of jobs) if (job.applicationIds?.length && !job.earlier) byItem.set(job.itemIndex, [...(byItem.get(job.itemIndex) ?? []), job]);
  const reported = new Map<number, IDataObject>();
  if (byItem.size === 0) return reported;
  const { store } = await applicationReceiptsFor(ctx);
  for (const [itemIndex, itemJobs] of byItem) {
    const ids = itemJobs[0].applicationIds!;
    const pending = itemJobs.filter((j) => j.result?.status === 'accepted' && !j.deliveredFinal);
    if (pending.length > 0 && plan.smpp) {
      continueInBackground(plan, pending, (statuses) =>
        reportOutcome(store, ids, outcomeOf([...statuses, ...itemJobs.filter((j) => !pending.includes(j)).map(jobStatus)])),
      );
      reported.set(itemIndex, {
        messageIds: ids,
        status: 'pending',
        note: "no final receipt yet: the application gets it when the carrier's comes (while this n8n process runs, up to 24 h)",
      });
      continue;
    }
    const outcome = outcomeOf(itemJobs.map(jobStatus));
    const results = await reportOutcome(store, ids, outcome);
    reported.set(itemIndex, { messageIds: ids, status: outcome.status, results });
  }
  return reported;
}

function jobStatus(job: ForwardedJob): { status: string } {
  if (job.result?.status === 'accepted') return { status: String(job.result.delivery?.status ?? 'UNKNOWN') };
  return { status: 'REJECTD' }; // refused by the carrier, invalid, or opted out: it will not be delivered
}

/** Waits on for the final receipts of `pending` (SMPP route), then calls `report` with their statuses. */
function continueInBackground(plan: SenderPlan, pending: ForwardedJob[], report: (statuses: Array<{ status: string }>) => Promise<unknown>): void {
  const tracker = receiptTrackerOf(plan.smpp!.settings.connection);
  const parts = pending.flatMap((job) => job.result!.messageIds);
  void Promise.all(parts.map((id) => tracker.waitFor(id, 24 * 3_600_000)))
    .then((receipts) => report(receipts.map((r) => ({ status: r?.final ? r.status : 'UNKNOWN' }))))
    .catch(() => undefined);
}
