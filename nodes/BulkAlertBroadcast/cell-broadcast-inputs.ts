import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { BroadcastAreaInput } from '../../src/cellbroadcast/broadcast-area';
import type { BroadcastEncoding } from '../../src/cellbroadcast/broadcast-content';
import type { BroadcastPriority, CellBroadcastRequest } from '../../src/cellbroadcast/broadcast-request';
import { BroadcastInputError } from '../../src/cellbroadcast/cell-broadcast-errors';
import type { WarningLevel } from '../../src/cellbroadcast/warning-channels';
import { FieldError } from '../shared/field-error';

export type AreaSource = 'aliases' | 'circle' | 'polygon' | 'cap';

/** "lat,lon lat,lon ..." (CAP style), one point per line, or a JSON list of [lat, lon]. */
export function parsePolygonText(text: string): Array<[number, number]> {
  const trimmed = text.trim();
  if (!trimmed) throw new FieldError('cbPolygon', 'Polygon is empty: give 3 to 15 "lat,lon" points in order around the area');
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as Array<[number, number]>;
    } catch (err) {
      throw new FieldError('cbPolygon', `Polygon is not valid JSON: ${(err as Error).message}`);
    }
  }
  return trimmed.replace(/\s*,\s*/g, ',').split(/[\s;]+/).map((token, i) => {
    const parts = token.split(',');
    const [lat, lon] = parts.map(Number);
    if (parts.length !== 2 || !Number.isFinite(lat) || !Number.isFinite(lon)) throw new FieldError('cbPolygon', `Polygon: point ${i + 1} "${token}" is not "lat,lon"`);
    return [lat, lon] as [number, number];
  });
}

/** The broadcast areas from the node parameters (null: take them from the CAP alert). */
export function readAreas(ctx: IExecuteFunctions): { source: AreaSource; areas: BroadcastAreaInput[] | null } {
  const source = String(ctx.getNodeParameter('cbAreaSource', 0, 'aliases')) as AreaSource;
  switch (source) {
    case 'aliases': {
      const aliases = String(ctx.getNodeParameter('cbAliases', 0, '') ?? '').split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
      if (aliases.length === 0) throw new FieldError('cbAliases', 'Area Names is empty: give one area name per line, as the carrier configured them');
      return { source, areas: aliases.map((alias) => ({ alias })) };
    }
    case 'circle': {
      const radiusKm = Number(ctx.getNodeParameter('cbCircleRadiusKm', 0, 1));
      const circle = { lat: Number(ctx.getNodeParameter('cbCircleLatitude', 0, 0)), lon: Number(ctx.getNodeParameter('cbCircleLongitude', 0, 0)), radiusMeters: radiusKm * 1000 };
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

const AREA_PARAMETER: Record<AreaSource, { name: string; label: string }> = {
  aliases: { name: 'cbAliases', label: 'Area Names' },
  circle: { name: 'cbCircleRadiusKm', label: 'Circle' },
  polygon: { name: 'cbPolygon', label: 'Polygon' },
  cap: { name: 'capXml', label: 'CAP Alert XML' },
};

/** A core input error as a FieldError naming the node parameter the user can fix. */
export function toFieldError(err: BroadcastInputError, areaSource: AreaSource, messageSource: string): FieldError {
  const field = err.field;
  if (field.startsWith('areas')) {
    const parameter = AREA_PARAMETER[areaSource];
    const inner = areaSource === 'cap' ? err.message : err.message.replace(/^areas\[0\]\.(polygon|circle|alias)(\.radiusMeters)?/, parameter.label);
    return new FieldError(parameter.name, inner);
  }
  const byField: Record<string, string> = {
    text: messageSource === 'cap' ? 'capXml' : 'message', encoding: 'cbOptions', repetitions: 'cbRepetitions', frequencySeconds: 'cbIntervalSeconds',
    validityMinutes: 'cbValidityMinutes', endTime: 'cbValidityMinutes', priority: 'cbPriority', expires: 'capXml', status: 'capXml', msgType: 'capXml',
    messageClass: 'cbOptions', channelIndicator: 'cbOptions', contentType: 'cbOptions',
  };
  const name = byField[field] ?? (field.startsWith('channel') ? 'cbWarningLevel' : field);
  return new FieldError(name, err.message);
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
