import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { prepareSms, mapLimit, failureFields } from '../../src/gateway';
import type { RoutedSmsResult, PreparedSms, FailureClass } from '../../src/gateway';
import { FieldError } from '../shared/errors/field-error';
import { toNodeError } from '../shared/errors/node-error';
import { readSendOptions } from '../shared/sending/read-message-options';
import { splitRecipients } from '../shared/sending/recipients';
import { openSmsSender, SenderOpenError } from '../shared/sending/sender-session';
import type { SenderReceipts, SmsSender } from '../shared/sending/sender-session';
import { fromFor } from '../shared/sending/sender-transport';
import type { SenderPlan } from '../shared/sending/sender-transport';
import { optOutStoreFor, sendLedgerFor } from '../shared/state/state-stores';
import { randomUUID } from 'crypto';
import { sendOnce } from '../../src/journal';
import { earlierOutput, IDEMPOTENCY_TTL_MS, idempotencyKey, retryPromise } from './idempotency';
import { sendFailedError } from './send-failed-error';
import { checkToolRecipients, runsAsAgentTool } from '../shared/runtime/agent-tool';
import { deliveryPart, deliverySummary, waitOptions } from '../shared/sending/delivery-summary';
import { reportToApplications } from './send-application-receipt.operation';
import { readMessageIds } from './get-delivery-status.operation';
import { failedItem } from '../shared/errors/failed-item';

const OPTED_OUT_NOTE = 'this number replied STOP; turn off "Skip Opted-Out Numbers" for messages that must go anyway';
const OPTED_OUT_TOOL_NOTE = "this number replied STOP; an AI agent's tool never sends to it";
import { sendSmsProperties } from './send-sms-properties';

interface Job {
  itemIndex: number;
  to: string;
  prepared?: PreparedSms;
  text?: string;
  /** Sent (or maybe sent) by an earlier run with the same idempotency key: its output. */
  earlier?: IDataObject;
  /** The number replied STOP: not sent (reported as skipped, not as an error). */
  optedOut?: boolean;
  error?: { message: string; field: string; credential?: string; failure?: FailureClass };
  result?: RoutedSmsResult & { delivery?: IDataObject };
  /** Every part got a final receipt (set while waiting for receipts). */
  deliveredFinal?: boolean;
  /** "Report Delivery to Application": the SMPP server application's message ids this SMS forwards. */
  applicationIds?: string[];
}

/** Advice under an error of Send SMS that is not a bad value: which transport could not be used. */
export function transportAdvice(plan: SenderPlan | undefined): string {
  return plan?.transport === 'modem' ? 'The GSM modem could not be used' : 'The SMPP connection could not be used';
}

function fieldOf(err: unknown): NonNullable<Job['error']> | null {
  if (err instanceof FieldError) return { message: err.message, field: err.field, credential: err.credential };
  return null;
}

/** Reads every item's parameters and validates them before anything is sent. */
function prepareJobs(ctx: IExecuteFunctions, items: INodeExecutionData[], plan: SenderPlan): Job[] {
  const defaults = plan.defaults;
  const cache = new Map();
  const jobs: Job[] = [];
  items.forEach((_, itemIndex) => {
    let recipients: string[] = [];
    try {
      recipients = splitRecipients(ctx.getNodeParameter('to', itemIndex));
      if (recipients.length === 0) throw new FieldError('to', 'To is empty: give a phone number');
      const text = String(ctx.getNodeParameter('message', itemIndex) ?? '');
      const from = fromFor(plan, ctx.getNodeParameter('from', itemIndex, ''));
      const rawOptions = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
      const options = readSendOptions(ctx, itemIndex);
      const applicationIds = rawOptions.reportToApplication ? readMessageIds(rawOptions.reportToApplication) : undefined;
      // Waiting for a receipt means asking the carrier for one.
      if (ctx.getNodeParameter('waitForReceipt', 0, false) === true || applicationIds?.length) options.requestReceipt = true;
      // One number listed twice (even in two formats) is one recipient: sent once.
      const numbersOfItem = new Set<string>();
      for (const to of recipients) {
        try {
          const prepared = prepareSms({ ...options, to, from, text }, defaults, cache);
          if (numbersOfItem.has(prepared.destination.e164)) continue;
          numbersOfItem.add(prepared.destination.e164);
          jobs.push({ itemIndex, to, text, prepared, applicationIds });
        } catch (err) {
          const bad = fieldOf(err);
          // eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- SendSms.node.ts hands it to toNodeError
          if (!bad) throw err;
          jobs.push({ itemIndex, to, error: bad, applicationIds });
        }
      }
    } catch (err) {
      const bad = fieldOf(err);
      // eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- SendSms.node.ts hands it to toNodeError
      if (!bad) throw err;
      jobs.push({ itemIndex, to: recipients.join(', '), error: bad });
    }
  });
  return jobs;
}

/**
 * Fails the node on an item's problem, through toNodeError like every node's error: its message,
 * and under it "Check <label> (item N)" as Send SMS's panel names the field. The job keeps the
 * field and message only (a core error's own hint is not kept), so the advice is always that.
 */
function failItem(ctx: IExecuteFunctions, job: Job, problem: NonNullable<Job['error']>): never {
  const err = new FieldError(problem.field, problem.message, { credential: problem.credential });
  throw toNodeError(ctx.getNode(), err, { itemIndex: job.itemIndex, properties: sendSmsProperties });
}

/** Waits for the receipts of every part of the accepted messages, from the carrier or the modem that sent each. */
async function waitForReceipts(ctx: IExecuteFunctions, receipts: SenderReceipts, sent: Job[], sentAt: Date): Promise<void> {
  const options = waitOptions(ctx.getNodeParameter('receiptSettle', 0, 'final'), sentAt);
  await mapLimit(
    sent.filter((j) => j.result?.status === 'accepted'),
    1000,
    async (job) => {
      const result = job.result!;
      const timeoutMs = Number(ctx.getNodeParameter('receiptTimeoutSeconds', job.itemIndex, 60)) * 1000;
      const got = await Promise.all(result.messageIds.map((id) => receipts.waitFor(result.route, id, result.to, timeoutMs, options)));
      const untracked = receipts.untracked(result.route);
      if (untracked) {
        result.delivery = { status: 'UNKNOWN', at: null, parts: [], note: untracked };
        return;
      }
      result.delivery = deliverySummary(got.map((r, i) => deliveryPart(result.messageIds[i], r)));
      job.deliveredFinal = got.every((r) => r?.final === true);
    },
  );
}

/** The output of one sent message; `route` only when the node can send by modem (SMPP-only output is unchanged). */
function resultJson(plan: SenderPlan, result: RoutedSmsResult): IDataObject {
  const json = { ...result } as Partial<RoutedSmsResult>;
  if (plan.transport === 'smpp') delete json.route;
  return json as unknown as IDataObject;
}

/** Marks recipients on the opt-out list (kept by the SMS Trigger from STOP replies), unless turned off (never for an agent's tool). */
async function markOptedOut(ctx: IExecuteFunctions, jobs: Job[], asTool: boolean): Promise<void> {
  const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
  if (options.skipOptedOut === false && !asTool) return;
  const candidates = jobs.filter((j) => j.prepared);
  if (candidates.length === 0) return;
  const store = await optOutStoreFor(ctx);
  const list = String(options.optOutList || 'default');
  const opted = await store.filterOptedOut(
    list,
    candidates.map((j) => j.prepared!.destination.e164),
  );
  for (const job of candidates) if (opted.has(job.prepared!.destination.e164)) job.optedOut = true;
}

/** Send SMS: one output item per recipient of each input item, paired to that input item. */
export async function sendMessages(ctx: IExecuteFunctions, items: INodeExecutionData[], plan: SenderPlan): Promise<INodeExecutionData[]> {
  const continueOnFail = ctx.continueOnFail();
  const jobs = prepareJobs(ctx, items, plan);
  const asTool = runsAsAgentTool(ctx);
  if (asTool) checkToolRecipients(ctx, new Set(jobs.map((j) => j.prepared?.destination.e164 ?? j.to)).size);
  const firstBad = jobs.find((j) => j.error);
  if (firstBad?.error && !continueOnFail) failItem(ctx, firstBad, firstBad.error);

  await markOptedOut(ctx, jobs, asTool);
  const toSend = jobs.filter((j) => j.prepared && !j.optedOut);
  if (toSend.length > 0) {
    let sender: SmsSender | undefined;
    try {
      sender = await openSmsSender(plan);
    } catch (err) {
      // Either way SendSms.node.ts hands it to toNodeError (a SenderOpenError's advice says which credential to check).
      // eslint-disable-next-line @n8n/community-nodes/require-node-api-error
      if (!(err instanceof SenderOpenError) || !continueOnFail) throw err;
      // No bind (or modem): nothing was written, so another route may send them.
      for (const job of toSend) job.error = { message: err.message, field: 'credential', failure: 'not_sent' };
    }
    if (sender) {
      try {
        const waitForReceipt = ctx.getNodeParameter('waitForReceipt', 0, false) === true || toSend.some((j) => j.applicationIds?.length);
        // Listen before sending: a fast carrier's receipt may come before the last message is sent.
        const receipts = waitForReceipt ? sender.listenForReceipts() : null;
        const sentAt = new Date();
        // Each recipient of each item once per idempotency key: "Retry On Fail" (of the node or of
        // an agent's tool call) and re-runs with the same key answer what was accepted instead of
        // sending it again.
        const ledger = await sendLedgerFor(ctx);
        const runIndex = ctx.getWorkflowDataProxy(0).$runIndex;
        const outcomes = await sendOnce(
          ledger,
          toSend.map((job) => ({
            key: idempotencyKey(ctx, job.itemIndex, runIndex, job.prepared!, job.text ?? '', asTool),
            send: () => sender.send(job.prepared!),
          })),
          {
            run: randomUUID(),
            ttlMs: IDEMPOTENCY_TTL_MS,
            concurrency: 500,
            onUnrecorded: (_key, err) =>
              ctx.logger.warn(
                `Send SMS: a sent message could not be recorded against its idempotency key (${(err as Error).message}); a retry may send it again`,
              ),
          },
        );
        outcomes.forEach((outcome, i) => {
          if ('sent' in outcome) toSend[i].result = outcome.sent;
          else if ('earlier' in outcome) toSend[i].earlier = earlierOutput(outcome.earlier, toSend[i].prepared!.destination.e164);
          else
            toSend[i].error = {
              message: `Not sent: the State Store, which keeps the idempotency keys, could not be reached (${outcome.notSent.message})`,
              field: 'stateStore',
              failure: 'not_sent',
            };
        });
        if (receipts)
          await waitForReceipts(
            ctx,
            receipts,
            toSend.filter((job) => job.result),
            sentAt,
          );
      } finally {
        await sender.release();
      }
    }
  }

  // Before any failure below stops the node: the applications learn what became of their messages.
  const reported = await reportToApplications(ctx, jobs, plan);
  const out: INodeExecutionData[] = [];
  for (const job of jobs) {
    if (job.error && !continueOnFail) failItem(ctx, job, job.error);
    const json: IDataObject = job.result
      ? resultJson(plan, job.result)
      : job.earlier
        ? job.earlier
        : job.optedOut
          ? { to: job.prepared!.destination.e164, status: 'skipped_opt_out', note: asTool ? OPTED_OUT_TOOL_NOTE : OPTED_OUT_NOTE }
          : { to: job.to, status: 'failed', error: job.error?.message, field: job.error?.field, ...failureFields(job.error?.failure ?? 'invalid') };
    const applicationReceipt = reported.get(job.itemIndex);
    if (applicationReceipt) json.applicationReceipt = applicationReceipt;
    // A failed message leaves by the error output when the node routes errors there.
    out.push(json.status === 'failed' ? failedItem(ctx, json, job.itemIndex) : { json, pairedItem: { item: job.itemIndex } });
  }
  // Without Continue On Fail a failure fails the node, but only after every message was sent and
  // recorded: the error lists what was accepted (with the message ids) and what failed.
  if (!continueOnFail && out.some((o) => o.json.status === 'failed')) throw sendFailedError(ctx.getNode(), out, retryPromise(ctx, items.length, asTool));
  return out;
}
