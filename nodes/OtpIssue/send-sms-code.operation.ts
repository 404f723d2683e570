/**
 * OTP Issue, "Send SMS Code": starts a verification (or resends the pending one) and sends
 * the code. Everything that can be wrong with an item is checked before a code exists, so a
 * bad template or sender never burns a send. The code leaves this file only inside the SMS
 * (and in the output when "Include Code in Output (Testing Only)" is on).
 */
import { otpCounters } from '../../src/observability';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { RoutedSmsResult } from '../../src/gateway';
import { DEFAULT_CHANNEL, OtpService } from '../../src/otp';
import type { OtpIssueResult } from '../../src/otp';
import { readMessageOptions } from '../shared/sending/read-message-options';
import { otpTestNow } from '../shared/otp/otp-clock';
import { runOtpItems } from '../shared/otp/otp-items';
import type { OtpItemResult } from '../shared/otp/otp-items';
import { otpPhoneNumber } from '../shared/otp/otp-phone';
import { readChannel } from '../shared/otp/otp-properties';
import { otpStateFor } from '../shared/otp/otp-state';
import type { OtpState } from '../shared/otp/otp-state';
import { checkTemplate, renderTemplate } from '../shared/otp/otp-template';
import { allowedCountriesError, readIssuePolicy } from './issue-policy';
import { SenderOpenError } from '../shared/sending/sender-session';
import { checkToolRecipients, runsAsAgentTool } from '../shared/runtime/agent-tool';
import { readSenderPlan } from '../shared/sending/sender-transport';
import type { TransportChoice } from '../shared/sending/sender-transport';
import { giveBack, keptSendMessage, mayHaveArrived, withFailure } from './failed-code-sms';
import { settledFailure } from '../../src/gateway';
import { transportOtpSender } from './otp-sms-sender';
import type { OtpSmsSender } from './otp-sms-sender';

export async function sendSmsCodes(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  // As an AI agent's tool: a capped number of phones per call, and never the code in the output.
  const asTool = runsAsAgentTool(ctx);
  if (asTool) checkToolRecipients(ctx, ctx.getInputData().length);
  const state = await otpStateFor(ctx);
  const plan = await readSenderPlan(ctx);
  const sender = transportOtpSender(plan);
  try {
    return await runOtpItems(ctx, { outputCount: 1, errorOutput: 0, errorContext: (itemIndex) => describeItem(ctx, itemIndex) }, (itemIndex) =>
      issueForItem(ctx, state, sender, plan.transport, itemIndex, asTool),
    );
  } finally {
    await sender.release();
  }
}

function describeItem(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
  return {
    to: String(ctx.getNodeParameter('phoneNumber', itemIndex, '')),
    channel: readChannel(ctx.getNodeParameter('channel', itemIndex, '')) ?? DEFAULT_CHANNEL,
  };
}

async function issueForItem(
  ctx: IExecuteFunctions,
  state: OtpState,
  sender: OtpSmsSender,
  transport: TransportChoice,
  itemIndex: number,
  asTool: boolean,
): Promise<OtpItemResult> {
  const param = (name: string, fallback?: unknown): unknown => ctx.getNodeParameter(name, itemIndex, fallback);
  const options = readMessageOptions(param('messageOptions', {}) as IDataObject);
  const { policy, guard, lifetimeMinutes, includeCodeInOutput } = readIssuePolicy(
    param('codeLength', 6),
    param('lifetimeMinutes', 10),
    param('limits', {}) as IDataObject,
  );
  const defaultCountry = options.defaultCountry || state.settings?.defaultCountry || sender.defaultCountry;
  const to = otpPhoneNumber(param('phoneNumber'), { defaultCountry, mobileOnly: options.mobileOnly });
  const channel = readChannel(param('channel', ''));
  const appName = String(param('appName', '') ?? '').trim() || state.settings?.appName;
  const template = checkTemplate(param('messageTemplate'), appName);
  const request = { ...options, to, from: String(param('from', '') ?? ''), defaultCountry };
  const textWith = (code: string): string => renderTemplate(template, { code, appName, minutes: lifetimeMinutes });
  // Same length, digits only: encodes exactly like the real code, so this check is final.
  sender.check({ ...request, text: textWith('0'.repeat(policy.codeLength)) });

  let service: OtpService;
  try {
    service = new OtpService({
      store: state.store,
      serverKey: state.serverKey,
      policy,
      guard,
      defaultCountry,
      now: otpTestNow,
      outcomes: otpCounters(state.label ?? 'default'),
    });
  } catch (err) {
    throw allowedCountriesError(err);
  }
  const issued = await service.issue(to, channel);
  const by = transport === 'modem' ? 'the GSM modem' : 'the carrier';
  let sent: RoutedSmsResult;
  try {
    sent = await sender.send({ ...request, text: textWith(issued.code) });
  } catch (err) {
    // No bind, no modem: nothing went out, so the send is given back before the error is reported.
    if (err instanceof SenderOpenError)
      throw withFailure(
        new NodeOperationError(ctx.getNode(), `${err.message}; ${await giveBack(service, issued)}`, { itemIndex, description: err.advice }),
        'not_sent',
      );
    // Anything else stopped the send midway: whether it went out is not known, so it is kept.
    const reason = err instanceof Error ? err.message : String(err);
    throw withFailure(
      new NodeOperationError(
        ctx.getNode(),
        keptSendMessage(to, `sending by ${by} stopped midway, so it is not known whether it went out`, reason, issued, policy),
        { itemIndex },
      ),
      'unknown',
    );
  }
  if (sent.status === 'failed') {
    const why = mayHaveArrived(sent);
    const reason = sent.error ?? 'unknown error';
    const failure = settledFailure(sent);
    if (why) throw withFailure(new NodeOperationError(ctx.getNode(), keptSendMessage(to, why, reason, issued, policy), { itemIndex }), failure);
    const next = await giveBack(service, issued);
    throw withFailure(
      new NodeOperationError(
        ctx.getNode(),
        `OTP SMS to ${to} was not accepted by ${sent.route === 'modem' ? 'the GSM modem' : 'the carrier'} (${reason}); ${next}`,
        { itemIndex },
      ),
      failure,
    );
  }
  const json = issuedJson(to, channel, issued, sent.messageIds, sent.possibleDuplicate, includeCodeInOutput && !asTool);
  // Which transport took the code, when the node can send by modem (SMPP-only output is unchanged).
  if (transport !== 'smpp') Object.assign(json, { route: sent.route }, sent.smppError ? { smppError: sent.smppError } : {});
  return { output: 0, json };
}

function issuedJson(
  to: string,
  channel: string | undefined,
  issued: OtpIssueResult,
  messageIds: string[],
  possibleDuplicate: boolean | undefined,
  includeCode: boolean,
): IDataObject {
  return {
    to,
    channel: channel ?? DEFAULT_CHANNEL,
    status: issued.status,
    sid: issued.sid,
    sendCount: issued.sendCount,
    sendsLeft: issued.sendsLeft,
    expiresAt: issued.expiresAt.toISOString(),
    resent: issued.resent,
    messageIds,
    ...(possibleDuplicate ? { possibleDuplicate } : {}),
    ...(includeCode ? { code: issued.code } : {}),
  };
}
