/** Runs an OTP operation item by item, routing results to outputs and errors per continueOnFail. */
import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { runsAsAgentTool } from '../runtime/agent-tool';
import { asOtpPanelField, otpErrorJson, otpProperties } from '../errors/otp-errors';
import { toNodeError } from '../errors/node-error';
import { failedItem } from '../errors/failed-item';

/** Never in an AI agent's answer (it goes to the model's provider), whatever an operation put in. */
const NEVER_TO_AGENTS = ['code', 'secret', 'uri'];

export interface OtpItemResult {
  /** Index of the output the item leaves on. */
  output: number;
  json: IDataObject;
  binary?: IBinaryKeyData;
}

export interface OtpItemRun {
  outputCount: number;
  /** Output for error items when the node continues on fail. */
  errorOutput: number;
  /** Fields every error item of this item carries (e.g. the number it was about). */
  errorContext?: (itemIndex: number) => IDataObject;
}

/**
 * Items run one after another, not in parallel: two items for the same number are a send and
 * a resend, and their order decides which one the resend interval refuses.
 */
export async function runOtpItems(
  ctx: IExecuteFunctions,
  run: OtpItemRun,
  handle: (itemIndex: number) => Promise<OtpItemResult>,
): Promise<INodeExecutionData[][]> {
  const outputs: INodeExecutionData[][] = Array.from({ length: run.outputCount }, () => []);
  const count = ctx.getInputData().length;
  const asTool = runsAsAgentTool(ctx);
  for (let itemIndex = 0; itemIndex < count; itemIndex++) {
    try {
      const result = await handle(itemIndex);
      if (asTool) for (const key of NEVER_TO_AGENTS) delete result.json[key];
      outputs[result.output].push({ json: result.json, ...(result.binary ? { binary: result.binary } : {}), pairedItem: { item: itemIndex } });
    } catch (err) {
      if (!ctx.continueOnFail()) throw toNodeError(ctx.getNode(), asOtpPanelField(err), { itemIndex, properties: otpProperties(ctx.getNode()) });
      const context = safeContext(run, itemIndex);
      const json = { ...context, ...otpErrorJson(err) };
      // A node of one output (OTP Issue) hands its errors to n8n's error output when set to; OTP Verify has its own "rejected" output.
      outputs[run.errorOutput].push(run.outputCount === 1 ? failedItem(ctx, json, itemIndex) : { json, pairedItem: { item: itemIndex } });
    }
  }
  return outputs;
}

function safeContext(run: OtpItemRun, itemIndex: number): IDataObject {
  try {
    return run.errorContext?.(itemIndex) ?? {};
  } catch {
    return {};
  }
}
