import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { BroadcastAreaInput, BroadcastEncoding, BroadcastPriority, CellBroadcastRequest, WarningLevel } from '../../src/cellbroadcast';
import { BroadcastInputError } from '../../src/cellbroadcast';
import { FieldError } from '../shared/errors/field-error';

export type AreaSource = 'aliases' | 'circle' | 'polygon' | 'cap';

/** "lat,lon lat,lon ..." (CAP style), one point per line, or a JSON list of [lat, lon]. */
export function parsePolygonText(text: string): Array<[number, number]> {
  const trimmed = text.trim();
  if (!trimmed) throw new FieldError('cbPolygon', 'Polygon is empty: give 3 to 15 "lat,lon" points in order around the area');
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as Array<[number, number]>;
    } catch (err) {
      // A parser of plain text (no node): its FieldError names the parameter, and the node turns it
      // into a NodeOperationError (toNodeError).
      // eslint-disable-next-line @n8n/community-nodes/require-node-api-error
      throw new FieldError('cbPolygon', `Polygon is not valid JSON: ${(err as Error).message}`);
    }
  }
  return trimmed
    .replace(/\s*,\s*/g, ',')
    .split(/[\s;]+/)
    .map((token, i) => {
      const parts = token.split(',');
      const [lat, lon] = parts.map(Number);
      if (parts.length !== 2 || !Number.isFinite(lat) || !Number.isFinite(lon))
        throw new FieldError('cbPolygon', `Polygon: point ${i + 1} "${token}" is not "lat,lon"`);
      return [lat, lon] as [number, number];
    });
}

/** The broadcast areas from the node parameters (null: take them from the CAP alert). */
export function readAreas(ctx: IExecuteFunctions): { source: AreaSource; areas: BroadcastAreaInput[] | null } {
  const source = String(ctx.getNodeParameter('cbAreaSource', 0, 'aliases')) as AreaSource;
  switch (source) {
    case 'aliases': {
      const aliases = String(ctx.getNodeParameter('cbAliases', 0, '') ?? '')
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean);
      if (aliases.length === 0) throw new FieldError('cbAliases', 'Area Names is empty: give one area name per line, as the carrier configured them');
      return { source, areas: aliases.map((alias) => ({ alias })) };
    }
    case 'circle': {
      const radiusKm = Number(ctx.getNodeParameter('cbCircleRadiusKm', 0, 1));
      const circle = {
        lat: Number(ctx.getNodeParameter('cbCircleLatitude', 0, 0)),
        lon: Number(ctx.getNodeParameter('cbCircleLongitude', 0, 0)),
        radiusMeters: radiusKm * 1000,
      };
      return { source, areas: [{ circle }] };
    }
    case 'polygon':
      return { source, areas: [{ polygon: parsePolygonText(String(ctx.getNodeParameter('cbPolygon', 0, '') ?? '')) }] };
    case 'cap':
      return { source, areas: null };
    default:
      throw new FieldError('cbAreaSource', `unknown Broadcast Area "${String(source)}"`);
  }
}

const AREA_PARAMETER: Record<Exclude<AreaSource, 'circle'>, { name: string; label: string }> = {
  aliases: { name: 'cbAliases', label: 'Area Names' },
  polygon: { name: 'cbPolygon', label: 'Polygon' },
  cap: { name: 'capXml', label: 'CAP Alert XML' },
};

/** Core field -> node parameter and its label, for everything but the areas. */
const PARAMETER_BY_FIELD: Record<string, { name: string; label: string }> = {
  repetitions: { name: 'cbRepetitions', label: 'Repetitions' },
  frequencySeconds: { name: 'cbIntervalSeconds', label: 'Repetition Interval (Seconds)' },
  validityMinutes: { name: 'cbValidityMinutes', label: 'Validity (Minutes)' },
  endTime: { name: 'cbValidityMinutes', label: 'Validity (Minutes)' },
  priority: { name: 'cbPriority', label: 'Broadcast Priority' },
  encoding: { name: 'cbOptions', label: 'Encoding' },
  messageClass: { name: 'cbOptions', label: 'Message Class' },
  channelIndicator: { name: 'cbOptions', label: 'Channel Indicator' },
  contentType: { name: 'cbOptions', label: 'Generic Content Type' },
  'channel.messageIdentifier': { name: 'cbOptions', label: 'CBS Message Identifier' },
  'channel.level': { name: 'cbWarningLevel', label: 'Public Warning Level' },
};

/** The circle parameter a core circle error is about. */
function circleParameter(message: string): { name: string; label: string } {
  if (message.includes('latitude')) return { name: 'cbCircleLatitude', label: 'Latitude' };
  if (message.includes('longitude')) return { name: 'cbCircleLongitude', label: 'Longitude' };
  return { name: 'cbCircleRadiusKm', label: 'Radius (Km)' };
}

/**
 * A core input error as a FieldError naming the node parameter to fix, its label in place of the
 * core field (e.g. "Polygon: needs at least 3 distinct points"). Errors in areas taken from a CAP
 * alert keep the core path (e.g. "areas[2].polygon: ..."), which says which CAP area is wrong.
 */
export function toFieldError(err: BroadcastInputError, areaSource: AreaSource, messageSource: string): FieldError {
  const problem = err.message.slice(err.field.length + 2);
  if (err.field.startsWith('areas')) {
    if (areaSource === 'cap') return new FieldError('capXml', `CAP Alert XML: ${err.message}`);
    const parameter = areaSource === 'circle' ? circleParameter(problem) : AREA_PARAMETER[areaSource];
    return new FieldError(parameter.name, `${parameter.label}: ${areaSource === 'circle' ? problem.replace(/^(latitude|longitude) /, '') : problem}`);
  }
  if (['text', 'expires', 'status', 'msgType'].includes(err.field)) {
    const cap = messageSource === 'cap' || err.field !== 'text';
    return new FieldError(cap ? 'capXml' : 'message', `${cap ? 'CAP Alert XML' : 'Message'}: ${err.field === 'text' ? 'the text ' : ''}${problem}`);
  }
  const parameter =
    PARAMETER_BY_FIELD[err.field] ?? (err.field.startsWith('channel') ? PARAMETER_BY_FIELD['channel.level'] : { name: err.field, label: err.field });
  return new FieldError(parameter.name, `${parameter.label}: ${problem}`);
}

export interface CellSettings {
  request: Omit<CellBroadcastRequest, 'areas' | 'text' | 'channel'>;
  /** null: from the CAP alert. */
  channel: CellBroadcastRequest['channel'] | null;
}

/** Repetitions, interval, validity, priority, level and the options collection. */
export function readCellSettings(ctx: IExecuteFunctions): CellSettings {
  const options = ctx.getNodeParameter('cbOptions', 0, {}) as IDataObject;
  const level = String(ctx.getNodeParameter('cbWarningLevel', 0, 'severe'));
  const messageIdentifier = Number(options.messageIdentifier ?? 0);
  const additionalLanguage = options.additionalLanguage === true;
  let channel: CellSettings['channel'] = null;
  if (messageIdentifier > 0) channel = { messageIdentifier };
  else if (level !== 'fromCap') channel = { level: level as WarningLevel, additionalLanguage };
  const messageClass = options.messageClass === undefined || options.messageClass === 'none' ? undefined : (Number(options.messageClass) as 0 | 1 | 2 | 3);
  return {
    channel,
    request: {
      repetitions: Number(ctx.getNodeParameter('cbRepetitions', 0, 10)),
      frequencySeconds: Number(ctx.getNodeParameter('cbIntervalSeconds', 0, 60)),
      validityMinutes: Number(ctx.getNodeParameter('cbValidityMinutes', 0, 60)),
      priority: String(ctx.getNodeParameter('cbPriority', 0, 'immediate')) as BroadcastPriority,
      encoding: String(options.encoding ?? 'auto') as BroadcastEncoding,
      channelIndicator: options.channelIndicator === 'extended' ? 'extended' : 'basic',
      ...(messageClass !== undefined ? { messageClass } : {}),
      ...(options.genericContentType === true ? { contentType: { network: 0, type: 0x0001 } } : {}),
    },
  };
}
