import type { IExecuteFunctions } from 'n8n-workflow';
import { CapAlertError, capAlertText, parseCapAlert } from '../../src/broadcast';
import type { CapAlert } from '../../src/broadcast';
import { FieldError } from '../shared/errors/field-error';
import { broadcastError } from './broadcast-error';

/** The CAP Alert XML parameter, parsed; a malformed alert names the parameter. */
export function readCap(ctx: IExecuteFunctions): CapAlert {
  try {
    return parseCapAlert(String(ctx.getNodeParameter('capXml', 0, '')));
  } catch (err) {
    throw broadcastError(ctx, err instanceof CapAlertError ? new FieldError('capXml', err.message) : err);
  }
}

/** The alert's SMS / broadcast text; an alert with none names the parameter. */
export function capTextOf(ctx: IExecuteFunctions, cap: CapAlert): string {
  try {
    return capAlertText(cap);
  } catch (err) {
    throw broadcastError(ctx, err instanceof CapAlertError ? new FieldError('capXml', err.message) : err);
  }
}
