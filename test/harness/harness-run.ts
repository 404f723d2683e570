/**
 * What one harness execution produced, read from n8n's own IRun: the status, the error
 * that stopped it, and every node's output items.
 */
import type { ExecutionStatus, IBinaryKeyData, IDataObject, INodeExecutionData, IRun, ITaskData } from 'n8n-workflow';

import type { CredentialRequest } from './harness-credentials';
import type { LogEntry } from './log-capture';

export interface HarnessError {
  message: string;
  /** The thrown error's class name, e.g. 'NodeOperationError' or 'NodeApiError'. */
  name?: string;
  description?: string;
  /** Name of the node that threw. */
  node?: string;
  /** Item the node was working on (from NodeOperationError / NodeApiError `itemIndex`). */
  itemIndex?: number;
  /** The error as n8n's engine recorded it: a plain copy of the thrown error's fields. */
  original: unknown;
}

export interface HarnessRunDetails {
  run: IRun;
  logs: LogEntry[];
  credentialRequests: CredentialRequest[];
  durationMs: number;
}

export class HarnessRun {
  readonly status: ExecutionStatus;
  readonly error: HarnessError | undefined;
  /** n8n's IRun, for anything the accessors below do not cover. */
  readonly raw: IRun;
  /** Everything logged through n8n's loggers while this run executed. */
  readonly logs: LogEntry[];
  /** Every credential a node asked n8n for, in order. */
  readonly credentialRequests: CredentialRequest[];
  /** Wall time of WorkflowExecute.run, for reports, never for assertions. */
  readonly durationMs: number;

  constructor(details: HarnessRunDetails) {
    this.raw = details.run;
    this.status = details.run.status;
    this.logs = details.logs;
    this.credentialRequests = details.credentialRequests;
    this.durationMs = details.durationMs;
    const error = details.run.data.resultData.error;
    this.error = error === undefined ? undefined : toHarnessError(error);
  }

  /** Names of the nodes that ran, in the order n8n finished them. */
  get executedNodes(): string[] {
    return Object.keys(this.raw.data.resultData.runData);
  }

  ran(nodeName: string): boolean {
    return this.raw.data.resultData.runData[nodeName] !== undefined;
  }

  /** Output items of a node's first run, one array per output index. */
  outputs(nodeName: string): INodeExecutionData[][] {
    const main = this.firstTask(nodeName).data?.main ?? [];
    return main.map((items) => items ?? []);
  }

  /** The `json` of each item on one output of a node (output 0 unless given). */
  items(nodeName: string, outputIndex = 0): IDataObject[] {
    return this.output(nodeName, outputIndex).map((item) => item.json);
  }

  /** The `binary` of each item on one output (an empty object for items without binary). */
  binary(nodeName: string, outputIndex = 0): IBinaryKeyData[] {
    return this.output(nodeName, outputIndex).map((item) => item.binary ?? {});
  }

  /** The error a node's run recorded (also set when the node continued on fail with error output). */
  nodeError(nodeName: string): HarnessError | undefined {
    const error = this.firstTask(nodeName).error;
    return error === undefined ? undefined : toHarnessError(error);
  }

  private output(nodeName: string, outputIndex: number): INodeExecutionData[] {
    const outputs = this.outputs(nodeName);
    if (outputIndex < 0 || outputIndex >= outputs.length) {
      throw new Error(`Node "${nodeName}" has ${outputs.length} output(s); there is no output index ${outputIndex}`);
    }
    return outputs[outputIndex];
  }

  private firstTask(nodeName: string): ITaskData {
    const tasks = this.raw.data.resultData.runData[nodeName];
    if (tasks === undefined || tasks.length === 0) {
      const ran = this.executedNodes.join(', ') || 'none';
      throw new Error(`Node "${nodeName}" did not run (status ${this.status}); nodes that ran: ${ran}`);
    }
    return tasks[0];
  }
}

interface ErrorLike {
  message?: unknown;
  name?: unknown;
  description?: unknown;
  node?: { name?: unknown };
  context?: { itemIndex?: unknown };
}

function toHarnessError(error: unknown): HarnessError {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  const result: HarnessError = { message, original: error };
  if (typeof fields.name === 'string') result.name = fields.name;
  if (typeof fields.description === 'string') result.description = fields.description;
  if (typeof fields.node?.name === 'string') result.node = fields.node.name;
  if (typeof fields.context?.itemIndex === 'number') result.itemIndex = fields.context.itemIndex;
  return result;
}
