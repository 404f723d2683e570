import type { IExecuteFunctions } from 'n8n-workflow';
import { parseCapAlert } from '../../src/broadcast';
import type { CapAlert } from '../../src/broadcast';

/** The CAP Alert XML parameter, parsed; a malformed alert throws a CapAlertError, a FieldError naming the parameter. */
export function readCap(ctx: IExecuteFunctions): CapAlert {
  return parseCapAlert(String(ctx.getNodeParameter('capXml', 0, '')));
}
