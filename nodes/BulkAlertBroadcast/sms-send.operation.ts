import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { runBroadcast, broadcastIdentity, howToSendAgain, capAlertText, capIsExtremeImmediate, capPriority } from '../../src/broadcast';
import { mapLimit } from '../../src/gateway';
import { FieldError } from '../shared/errors/field-error';
import { readSendOptions } from '../shared/sending/read-message-options';
import type { SmsRoute } from '../../src/gateway';
import { openSmsSender } from '../shared/sending/sender-session';
import { countBroadcast } from '../../src/observability';
import { fromFor, readSenderPlan } from '../shared/sending/sender-transport';
import { annotateRoutes, routeCounter } from '../shared/sending/sender-routes';
import { broadcastJournalFor, optOutStoreFor } from '../shared/state/state-stores';
import { checkToolRecipients, runsAsAgentTool } from '../shared/runtime/agent-tool';
import { readCap } from './cap-parameter';
import { waitOptions } from '../shared/sending/delivery-summary';
import { readRecipients } from './recipient-sources';
import { readRepeatOptions } from './repeat-options';
import { failedItem } from '../shared/errors/failed-item';

/** Broadcast Alert's SMS send: reads recipients and message, runs the core broadcast, shapes the output. */
export async function sendSmsAlerts(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
  const items = ctx.getInputData();
  const plan = await readSenderPlan(ctx);
  const message = readSendOptions(ctx, 0);
  const repeat = readRepeatOptions(ctx.getNodeParameter('options', 0, {}) as IDataObject);
  const cap = ctx.getNodeParameter('messageSource', 0) === 'cap' ? readCap(ctx) : null;
  if (cap) {
    if (cap.msgType === 'Cancel') throw new FieldError('capXml', `CAP alert ${cap.identifier} is a Cancel: there is nothing to send by SMS`);
    message.priority = capPriority(cap);
    if (ctx.getNodeParameter('capFlash', 0, false) === true && capIsExtremeImmediate(cap)) message.flash = true;
  }
  const capText = cap ? capAlertText(cap) : '';
  const textFor = (i: number): string => {
    if (cap) return capText;
    const text = String(ctx.getNodeParameter('message', i, '') ?? '');
    if (!text.trim()) throw new FieldError('message', `Message is empty for item ${i}`);
    return text;
  };
  const source = await readRecipients(ctx, items, textFor);
  const recipients = source.recipients;
  const dryRun = ctx.getNodeParameter('dryRun', 0, false) === true;
  // An AI agent's tool: a capped list, opt-outs always respected (a dry run sends nothing, so it is not capped).
  const asTool = runsAsAgentTool(ctx);
  if (asTool && !dryRun) checkToolRecipients(ctx, await source.count());
  const overrideAsked = ctx.getNodeParameter('overrideOptOut', 0, false) === true;
  const perRecipient = ctx.getNodeParameter('output', 0, 'summary') === 'perRecipient';
  const from = fromFor(plan, ctx.getNodeParameter('from', 0, '')) || plan.defaults.from;
  // Who sends it is part of a plain alert's identity: the transport, its credentials, the sender.
  const sending = { smppApi: plan.transport !== 'modem', gsmModemApi: plan.transport !== 'smpp' };
  const credentials = Object.entries(ctx.getNode().credentials ?? {})
    .filter(([type]) => sending[type as keyof typeof sending])
    .map(([type, ref]) => `${type}:${ref.id ?? ref.name}`)
    .sort();
  const explicitId = String(ctx.getNodeParameter('broadcastId', 0, '') ?? '');
  // A CSV file is identified by its bytes, database rows by their numbers in key order (one more read), only when neither an ID nor a CAP alert names the broadcast.
  const fileSha256 = source.fingerprint && !explicitId.trim() && !cap ? await source.fingerprint() : undefined;
  const identity = broadcastIdentity({
    explicitId,
    cap: cap ? { identifier: cap.identifier, sender: cap.sender } : undefined,
    channel: [plan.transport, ...credentials, from ?? ''],
    recipients: Array.isArray(recipients) ? recipients : [],
    streamed: fileSha256 ? { contentSha256: fileSha256, text: textFor(0) } : undefined,
    defaultCountry: message.defaultCountry || plan.defaults.defaultCountry,
  });
  const broadcastId = identity.broadcastId;
  const defaults = { ...plan.defaults, from };
  const optOut = {
    store: await optOutStoreFor(ctx),
    list: String(ctx.getNodeParameter('optOutList', 0, 'default') || 'default'),
    override: overrideAsked && !asTool,
  };
  const journal = await broadcastJournalFor(ctx);
  const waitForReceipts = !dryRun && ctx.getNodeParameter('waitForReceipts', 0, false) === true;
  if (waitForReceipts) message.requestReceipt = true;

  // A transport that does not open throws a SenderOpenError: its advice says which credential to check.
  const sender = dryRun ? null : await openSmsSender(plan);
  const accepted: Array<{ route: SmsRoute; id: string; to: string }> = [];
  const routed = routeCounter(sender);
  // Listen before sending: receipts of the first messages come while the rest are still going out.
  const receipts = waitForReceipts ? sender?.listenForReceipts() : null;
  const settle = waitOptions(ctx.getNodeParameter('receiptSettle', 0, 'final'), new Date());
  try {
    const { summary, results } = await runBroadcast(recipients, {
      broadcastId,
      sender: sender?.partSender ?? null,
      defaults,
      message,
      journal,
      optOut,
      dryRun,
      tps: plan.tps,
      // A Broadcast ID the user gave always resumes; an ID from the alert itself only within the window.
      dedupeWindowMs: identity.idFrom === 'parameter' ? Infinity : repeat.dedupeWindowHours * 3600_000,
      sendAgain: repeat.sendAgain,
      resendUncertain: repeat.resendUncertain,
      collectResults: perRecipient,
      onProgress: (p) =>
        ctx.logger.info(`Bulk Alert Broadcast ${broadcastId}: ${p.done}/${p.total} sent, ${p.accepted} accepted, ${p.failed} failed, ${p.ratePerSecond} msg/s`),
      onAccepted: (to, ids) => {
        const route = routed.accepted(to);
        if (receipts) for (const id of ids) accepted.push({ route, id, to });
      },
    });
    annotateRoutes(sender, summary, results);
    countBroadcast(plan.smpp?.settings.connection.credentialName ?? 'modem', summary);
    if (receipts) {
      const deadline = Date.now() + Number(ctx.getNodeParameter('receiptWaitMinutes', 0, 5)) * 60_000;
      // Counted per part, as receipts come per part.
      const delivery: NonNullable<typeof summary.delivery> = { delivered: 0, undelivered: 0, unknown: 0 };
      await mapLimit(accepted, 10_000, async ({ route, id, to }) => {
        const r = await receipts.waitFor(route, id, to, Math.max(0, deadline - Date.now()), settle);
        if (r && r.status === 'DELIVRD') delivery.delivered++;
        else if (r && r.final) delivery.undelivered++;
        else if (r)
          delivery.inProgress = (delivery.inProgress ?? 0) + 1; // only intermediate receipts (ENROUTE, ACCEPTD) by the deadline
        else if (receipts.untracked(route)) delivery.notTracked = (delivery.notTracked ?? 0) + 1;
        else delivery.unknown++;
      });
      if (delivery.notTracked) delivery.notTrackedReason = receipts.untracked('modem') ?? undefined;
      summary.delivery = delivery;
    }
    const summaryItem: INodeExecutionData = {
      json: {
        type: 'summary',
        ...(cap ? { capIdentifier: cap.identifier } : {}),
        ...summary,
        idFrom: identity.idFrom,
        howToSendAgain: howToSendAgain(identity, repeat.dedupeWindowHours),
      } as unknown as IDataObject,
      pairedItem: { item: 0 },
    };
    if (overrideAsked && asTool) summaryItem.json.optOutOverrideIgnored = "an AI agent's tool never sends to numbers that replied STOP";
    if (!perRecipient) {
      // Invalid numbers and failures are listed even in summary mode: they need someone's attention.
      const problems = results.filter((r) => r.status === 'invalid' || r.status === 'failed' || r.status === 'skipped_uncertain').slice(0, 1000);
      if (problems.length) {
        summaryItem.json.problems = problems.map((r) => ({
          to: r.to,
          status: r.status,
          ...(r.row ? { row: r.row } : {}),
          ...(r.key !== undefined ? { key: r.key } : {}),
          error: r.error ?? null,
          ...(r.retryElsewhere !== undefined ? { failure: r.failure, retryElsewhere: r.retryElsewhere } : {}),
        }));
      }
      return [summaryItem];
    }
    // Failed and invalid recipients leave by the error output when the node routes errors there
    // (with retryElsewhere: the ones another route may send without risking a duplicate).
    return [
      ...results.map((r) => {
        const json = { type: 'recipient', ...r } as unknown as IDataObject;
        return r.status === 'failed' || r.status === 'invalid' ? failedItem(ctx, json, r.itemIndex) : { json, pairedItem: { item: r.itemIndex } };
      }),
      summaryItem,
    ];
  } finally {
    await sender?.release();
  }
}
