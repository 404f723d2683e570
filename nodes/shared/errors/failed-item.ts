import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/**
 * The output item of something that failed, under Continue On Fail. n8n's engine moves an item to
 * the node's error output ("On Error: Continue (using error output)") only when its fields are
 * `error`, `message` or `details` (and it replaces the fields of any item carrying an Error object),
 * so there the item is `{ error, details: { ...everything else } }` and n8n adds the input item's
 * fields to it. On the regular output every field stays at the top, as before.
 */
export function failedItem(ctx: Pick<IExecuteFunctions, 'getNode'>, json: IDataObject, itemIndex: number): INodeExecutionData {
  if (ctx.getNode().onError !== 'continueErrorOutput') return { json, pairedItem: { item: itemIndex } };
  const { error, ...details } = json;
  return { json: { error: String(error ?? 'failed'), details }, pairedItem: { item: itemIndex } };
}
