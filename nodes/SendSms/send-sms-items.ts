import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { SmsRequestError } from '../../src/gateway/message-request';
import type { SmsResult } from '../../src/gateway/message-request';
import { prepareSms } from '../../src/gateway/prepare-message';
import type { PreparedSms } from '../../src/gateway/prepare-message';
import { sendPrepared } from '../../src/gateway/send-sms';
import { receiptTrackerFor } from '../../src/dlr/tracker-registry';
import { FieldError } from '../shared/field-error';
import { readMessageOptions } from '../shared/read-message-options';
import { splitRecipients } from '../shared/recipients';
import { readSmppCredential } from '../shared/smpp-credential';
import { openSmppSession } from '../shared/smpp-session';
import { mapLimit } from '../../src/gateway/map-limit';

interface Job {
  itemIndex: number;
  to: string;
  prepared?: PreparedSms;
  error?: { message: string; field: string };
  result?: SmsResult;
}

function fieldOf(err: unknown): { message: string; field: string } | null {
  if (err instanceof SmsRequestError || err instanceof FieldError) return { message: err.message, field: err.field };
  return null;
}

/** Reads every item's parameters and validates them before anything is sent. */
function prepareJobs(ctx: IExecuteFunctions, items: INodeExecutionData[], credential: ICredentialDataDecryptedObject): Job[] {
  const settings = readSmppCredential(credential);
  const defaults = { from: settings.sourceAddress, defaultCountry: settings.defaultCountry, sourceTonNpi: settings.sourceTonNpi };
  const cache = new Map();
  const jobs: Job[] = [];
  items.forEach((_, itemIndex) => {
    let recipients: string[] = [];
    try {
      recipients = splitRecipients(ctx.getNodeParameter('to', itemIndex));
      if (recipients.length === 0) throw new FieldError('to', 'To is empty: give a phone number');
      const text = String(ctx.getNodeParameter('message', itemIndex) ?? '');
      const from = String(ctx.getNodeParameter('from', itemIndex, '') ?? '');
      const options = readMessageOptions(ctx.getNodeParameter('options', itemIndex, {}) as IDataObject);
      for (const to of recipients) {
        try {
          jobs.push({ itemIndex, to, prepared: prepareSms({ ...options, to, from, text }, defaults, cache) });
        } catch (err) {
          const bad = fieldOf(err);
          if (!bad) throw err;
          jobs.push({ itemIndex, to, error: bad });
        }
      }
    } catch (err) {
      const bad = fieldOf(err);
      if (!bad) throw err;
      jobs.push({ itemIndex, to: recipients.join(', '), error: bad });
    }
  });
  return jobs;
}

function failItem(ctx: IExecuteFunctions, job: Job, message: string, field?: string): never {
  throw new NodeOperationError(ctx.getNode(), message, {
    itemIndex: job.itemIndex,
    description: field ? `Check the "${field}" field of item ${job.itemIndex}` : `Item ${job.itemIndex}, recipient ${job.to}`,
  });
}

/** Send SMS: one output item per recipient of each input item, paired to that input item. */
export async function sendSmsItems(ctx: IExecuteFunctions, items: INodeExecutionData[], credential: ICredentialDataDecryptedObject): Promise<INodeExecutionData[]> {
  const continueOnFail = ctx.continueOnFail();
  const jobs = prepareJobs(ctx, items, credential);
  const firstBad = jobs.find((j) => j.error);
  if (firstBad && !continueOnFail) failItem(ctx, firstBad, firstBad.error!.message, firstBad.error!.field);

  const toSend = jobs.filter((j) => j.prepared);
  if (toSend.length > 0) {
    let session;
    try {
      session = await openSmppSession(credential);
    } catch (err) {
      if (!continueOnFail) throw new NodeOperationError(ctx.getNode(), `Cannot connect to the SMPP carrier: ${(err as Error).message}`, { description: 'Check the SMPP Carrier credential (host, port, TLS, system ID, password)' });
      for (const job of toSend) job.error = { message: `Cannot connect to the SMPP carrier: ${(err as Error).message}`, field: 'credential' };
    }
    if (session) {
      try {
        await mapLimit(toSend, 500, async (job) => {
          job.result = await sendPrepared(session.transport, job.prepared!);
        });
        if (ctx.getNodeParameter('waitForReceipt', 0, false) === true) {
          const tracker = receiptTrackerFor(session.transport);
          await mapLimit(toSend.filter((j) => j.result?.status === 'accepted'), 1000, async (job) => {
            const timeoutMs = Number(ctx.getNodeParameter('receiptTimeoutSeconds', job.itemIndex, 60)) * 1000;
            const receipts = await Promise.all(job.result!.messageIds.map((id) => tracker.waitFor(id, timeoutMs)));
            const parts = receipts.map((r, i) => ({ messageId: job.result!.messageIds[i], status: r?.status ?? 'UNKNOWN', at: r ? (r.doneAt ?? r.receivedAt).toISOString() : null, ...(r?.error && r.error !== '000' ? { error: r.error } : {}) }));
            const worst = parts.find((p) => p.status !== 'DELIVRD') ?? parts[parts.length - 1];
            (job.result as SmsResult & { delivery?: IDataObject }).delivery = { status: worst.status, at: worst.at, parts };
          });
        }
      } finally {
        await session.release();
      }
    }
  }

  const out: INodeExecutionData[] = [];
  for (const job of jobs) {
    if (job.result?.status === 'failed' && !continueOnFail) failItem(ctx, job, `SMS to ${job.to} failed: ${job.result.error}`);
    if (job.error && !continueOnFail) failItem(ctx, job, job.error.message, job.error.field);
    const json: IDataObject = job.result
      ? ({ ...job.result } as unknown as IDataObject)
      : { to: job.to, status: 'failed', error: job.error?.message, field: job.error?.field };
    out.push({ json, pairedItem: { item: job.itemIndex } });
  }
  return out;
}
