/**
 * OTP Issue, "Enrol Authenticator App": a new TOTP secret and its otpauth:// URI as a QR code
 * PNG (binary). From version 2 the secret is kept in the state store, sealed with the signing
 * key and found by User ID; the enrolment is pending until OTP Verify approves its first code,
 * a user's confirmed authenticator is replaced only with "Replace Existing Authenticator" (never
 * for an AI agent), and the output has only a masked hint unless "Return Secret in Output" is on.
 * Version 1 stores nothing and returns the secret (kept for saved workflows; never to an agent).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { enrolTotp, OtpInputError, TotpEnrolRefusedError, TotpService } from '../../src/otp';
import type { TotpEnrolment } from '../../src/otp';
import { FieldError } from '../shared/errors/field-error';
import { otpNow } from '../shared/otp/otp-clock';
import { readWholeNumber } from '../shared/otp/otp-numbers';
import { optionalOtpSettings } from '../shared/credentials/otp-settings';
import type { OtpSettings } from '../shared/credentials/otp-settings';
import { otpStateFor } from '../shared/otp/otp-state';
import { runOtpItems } from '../shared/otp/otp-items';
import { runsAsAgentTool } from '../shared/runtime/agent-tool';

export async function enrolAuthenticators(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const storesSecret = ctx.getNode().typeVersion >= 2;
  // Never to an AI agent: its answer goes to the model's provider and into its context.
  const asTool = runsAsAgentTool(ctx);
  if (asTool && !storesSecret) {
    throw new NodeOperationError(
      ctx.getNode(),
      `As an AI agent's tool, ${ctx.getNode().name} does not enrol authenticators: Issue OTP version 1 hands the secret to whoever gets its output, and that is the agent. Nothing was enrolled.`,
      {
        description: 'Use Issue OTP version 2 (the secret stays in the State Store), in a workflow that shows the QR code to the signed-in user',
      },
    );
  }
  const state = storesSecret ? await otpStateFor(ctx) : undefined;
  const settings = state ? state.settings : await optionalOtpSettings(ctx);
  const service = state && new TotpService({ store: state.totp, serverKey: state.serverKey, now: otpNow });
  return runOtpItems(ctx, { outputCount: 1, errorOutput: 0 }, async (itemIndex) => {
    const app = readApp(ctx, itemIndex, settings);
    const binaryPropertyName = String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'qrCode') ?? '').trim();
    if (binaryPropertyName === '') throw new FieldError('binaryPropertyName', 'Put QR Code in Field is empty: name the binary field, e.g. qrCode');
    let json: IDataObject;
    let enrolment: TotpEnrolment;
    if (service) {
      const userId = String(ctx.getNodeParameter('userId', itemIndex, '') ?? '').trim();
      if (userId === '') throw new FieldError('userId', 'User ID is empty: map the identifier of the user whose authenticator this is');
      const replace = ctx.getNodeParameter('replaceExisting', itemIndex, false) === true && !asTool;
      const confirmWithinSeconds =
        readWholeNumber(ctx.getNodeParameter('confirmWithinMinutes', itemIndex, 15), 'confirmWithinMinutes', 'Confirm Within (Minutes)', 1, 1440) * 60;
      const stored = await service.enrol(userId, { issuer: app.issuer, label: app.label }, { replace, confirmWithinSeconds }).catch((err: unknown) => {
        if (asTool && err instanceof TotpEnrolRefusedError) throw agentMayNotReplace(ctx, userId, itemIndex);
        return accountNameError(err);
      });
      enrolment = stored;
      const returnSecret = ctx.getNodeParameter('returnSecret', itemIndex, false) === true && !asTool;
      json = {
        userId,
        issuer: app.issuer,
        accountName: app.label,
        status: stored.status,
        confirmBefore: stored.confirmBefore.toISOString(),
        replacing: stored.replacing,
        secretHint: stored.secretHint,
        ...(returnSecret ? { secret: stored.secret, uri: stored.uri } : {}),
      };
    } else {
      enrolment = await enrolTotp({ issuer: app.issuer, label: app.label }).catch(accountNameError);
      json = { secret: enrolment.secret, uri: enrolment.uri, issuer: app.issuer, accountName: app.label };
    }
    const qrCode = await ctx.helpers.prepareBinaryData(enrolment.qrPng, `${fileSafe(app.issuer)}-${fileSafe(app.label)}-totp.png`, 'image/png');
    return { output: 0, json, binary: { [binaryPropertyName]: qrCode } };
  });
}

function agentMayNotReplace(ctx: IExecuteFunctions, userId: string, itemIndex: number): NodeOperationError {
  return new NodeOperationError(
    ctx.getNode(),
    `User ID ${JSON.stringify(userId)} already has a confirmed authenticator, and an AI agent's tool never replaces one. Nothing was enrolled; the user's authenticator keeps working.`,
    {
      itemIndex,
      description: 'A person replaces an authenticator, in a workflow where the user signed in',
    },
  );
}

function readApp(ctx: IExecuteFunctions, itemIndex: number, settings: OtpSettings | undefined): { issuer: string; label: string } {
  const label = String(ctx.getNodeParameter('accountName', itemIndex, '') ?? '').trim();
  if (label === '') throw new FieldError('accountName', "Account Name is empty: give the user's e-mail or login, shown in the app");
  const issuer = String(ctx.getNodeParameter('issuer', itemIndex, '') ?? '').trim() || settings?.appName;
  if (!issuer) throw new FieldError('issuer', 'Issuer is empty: fill it in, or set App Name in the SMS OTP Settings credential');
  return { issuer, label };
}

/** The core calls the account 'label'; the node calls it Account Name. */
function accountNameError(err: unknown): never {
  throw err instanceof OtpInputError && err.field === 'label' ? new FieldError('accountName', `Account Name ${err.message.slice('label: '.length)}`) : err;
}

function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._@-]+/g, '_').slice(0, 60);
}
