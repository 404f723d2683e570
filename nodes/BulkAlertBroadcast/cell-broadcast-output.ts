import type { IDataObject } from 'n8n-workflow';
import { describeArea } from '../../src/cellbroadcast';
import type { BroadcastPlan, BroadcastStatusReport, CellBroadcastClient } from '../../src/cellbroadcast';

/** The readable part of a plan for an output item. */
export function planJson(plan: BroadcastPlan): IDataObject {
  return {
    messageIdentifier: plan.messageIdentifier,
    contentType: plan.contentType,
    areas: plan.areas.map(describeArea),
    repetitions: plan.repetitions,
    intervalSeconds: plan.frequencySeconds,
    endTime: plan.endTime ? plan.endTime.toISOString() : null,
    priority: plan.priority,
    encoding: plan.encoding,
    pages: plan.pages,
  };
}

export function statusJson(report: BroadcastStatusReport): IDataObject {
  return {
    state: report.state,
    perArea: report.perArea.map((a) => ({ area: describeArea(a.area), successPercent: a.successPercent })),
    endTime: report.endTime ? report.endTime.toISOString() : null,
  };
}

/** The state right after a send; a centre that cannot answer queries does not fail the send. */
export async function stateAfterSend(client: CellBroadcastClient, messageId: string | null): Promise<IDataObject> {
  if (!messageId) return {};
  try {
    return statusJson(await client.query(messageId));
  } catch (err) {
    return { state: null, stateError: (err as Error).message };
  }
}
