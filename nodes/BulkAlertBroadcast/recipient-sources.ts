import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { BroadcastRecipient } from '../../src/broadcast/broadcast-types';
import { FieldError } from '../shared/field-error';

/** Reads a (possibly nested, dotted) field of an item's JSON. */
function readPath(json: IDataObject, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as IDataObject)[key] : undefined), json);
}

/** Numbers from a text list: one per line or comma-separated, or CSV whose header names a phone column. */
export function parseRecipientList(text: string): string[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return [];
  const header = lines[0].split(/[,;\t]/).map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase());
  const column = header.findIndex((h) => ['phone', 'number', 'mobile', 'msisdn', 'to', 'phone number'].includes(h));
  if (column >= 0 && header.length > 1) {
    return lines.slice(1).map((l) => (l.split(/[,;\t]/)[column] ?? '').trim().replace(/^"|"$/g, '')).filter(Boolean);
  }
  if (column >= 0) return lines.slice(1);
  return lines.flatMap((l) => l.split(/[,;]/)).map((s) => s.trim()).filter(Boolean);
}

/** Recipients with their message text; `textFor(i)` evaluates the message for item i. */
export function readRecipients(ctx: IExecuteFunctions, items: INodeExecutionData[], textFor: (itemIndex: number) => string): BroadcastRecipient[] {
  const source = ctx.getNodeParameter('recipientSource', 0) as string;
  if (source === 'list') {
    const list = parseRecipientList(String(ctx.getNodeParameter('recipientList', 0, '')));
    if (list.length === 0) throw new FieldError('recipientList', 'Recipient List is empty: give one number per line, or CSV with a "phone" column');
    const text = textFor(0);
    return list.map((to) => ({ to, text, itemIndex: 0 }));
  }
  const field = String(ctx.getNodeParameter('recipientField', 0, 'phone')).trim();
  if (!field) throw new FieldError('recipientField', 'Recipient Field is empty: name the item field that holds the phone number');
  const sameText = ctx.getNodeParameter('messageSource', 0) === 'cap';
  const shared = sameText ? textFor(0) : '';
  return items.map((item, itemIndex) => {
    const value = readPath(item.json, field);
    return { to: value === undefined || value === null ? '' : String(value), text: sameText ? shared : textFor(itemIndex), itemIndex };
  });
}
