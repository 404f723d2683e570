import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { SmsRequest } from '../../../src/gateway';
import type { ConcatMethod, EncodingChoice } from '../../../src/encoding';
import { FieldError } from '../errors/field-error';
import { readCustomTlvRows } from '../../../src/tlv';
import type { EncodedTlv } from '../../../src/tlv';

/** The rows of a "Custom TLVs" list (node option or credential field), checked and encoded; errors name `field`. */
export function readCustomTlvs(value: unknown, field = 'customTlvs', credential?: string): EncodedTlv[] | undefined {
  const { tlvs, problem } = readCustomTlvRows(value);
  if (problem) throw new FieldError(field, problem, { credential });
  return tlvs;
}

/** Maps the node's "Options" collection onto an SmsRequest (without to/from/text). */
export function readMessageOptions(options: IDataObject): Omit<SmsRequest, 'to' | 'text'> {
  const validityMinutes = Number(options.validityMinutes ?? 0);
  if (!(validityMinutes >= 0)) throw new FieldError('validityMinutes', `Validity Period must be 0 or more minutes (got ${String(options.validityMinutes)})`);
  let scheduleAt: Date | undefined;
  if (options.scheduleAt) {
    scheduleAt = new Date(String(options.scheduleAt));
    if (Number.isNaN(scheduleAt.getTime())) throw new FieldError('scheduleAt', `Scheduled Delivery Time "${String(options.scheduleAt)}" is not a date`);
  }
  const maxParts = options.maxParts === undefined ? undefined : Number(options.maxParts);
  if (maxParts !== undefined && !(Number.isInteger(maxParts) && maxParts >= 1))
    throw new FieldError('maxParts', `Max Parts must be a whole number of at least 1 (got ${String(options.maxParts)})`);
  return {
    encoding: (options.encoding as EncodingChoice | undefined) ?? 'auto',
    concat: options.concat as ConcatMethod | undefined,
    maxParts,
    flash: options.flash === true,
    transliterate: options.transliterate === true,
    validitySeconds: validityMinutes ? validityMinutes * 60 : undefined,
    scheduleAt,
    requestReceipt: options.requestReceipt === true,
    priority: options.priority === undefined ? undefined : Number(options.priority),
    defaultCountry: options.defaultCountry ? String(options.defaultCountry).trim().toUpperCase() : undefined,
    mobileOnly: options.mobileOnly === true,
    serviceType: options.serviceType ? String(options.serviceType).trim() : undefined,
    tlvs: readCustomTlvs(options.customTlvs),
  };
}

/**
 * The message options of a sending node's item: "Options", plus "SMPP Options" where the node's
 * version has them apart (version 1 keeps every option in "Options").
 */
export function readSendOptions(ctx: IExecuteFunctions, itemIndex: number): ReturnType<typeof readMessageOptions> {
  const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
  const smppOptions = ctx.getNodeParameter('smppOptions', itemIndex, {}) as IDataObject;
  return readMessageOptions({ ...options, ...smppOptions });
}
