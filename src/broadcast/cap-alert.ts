import { FieldError } from '../errors';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The parts of a CAP 1.2 alert (OASIS Common Alerting Protocol) an SMS or cell broadcast needs. */
export interface CapArea {
  areaDesc: string;
  polygons: Array<Array<[number, number]>>;
  circles: Array<{ lat: number; lon: number; radiusKm: number }>;
  geocodes: Array<{ valueName: string; value: string }>;
}

export interface CapAlert {
  identifier: string;
  sender: string;
  sent: string;
  status: string;
  msgType: 'Alert' | 'Update' | 'Cancel' | 'Ack' | 'Error' | string;
  references?: string;
  language: string;
  event: string;
  urgency: string;
  severity: string;
  certainty: string;
  headline: string;
  description: string;
  instruction: string;
  expires?: string;
  areas: CapArea[];
}

export class CapAlertError extends FieldError {
  constructor(problem: string) {
    super('capXml', problem);
    this.name = 'CapAlertError';
  }
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ['info', 'area', 'polygon', 'circle', 'geocode'].includes(name),
});

type Node = Record<string, unknown>;

function text(node: Node | undefined, key: string): string {
  const v = node?.[key];
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function parsePolygon(value: string, where: string): Array<[number, number]> {
  const points = value
    .trim()
    .split(/\s+/)
    .map((pair) => {
      const [lat, lon] = pair.split(',').map(Number);
      if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
        throw new CapAlertError(`${where}: "${pair}" is not a "lat,lon" point`);
      return [lat, lon] as [number, number];
    });
  if (points.length < 4) throw new CapAlertError(`${where}: a CAP polygon needs at least 4 points (first = last), got ${points.length}`);
  return points;
}

function parseCircle(value: string, where: string): { lat: number; lon: number; radiusKm: number } {
  const m = value.trim().match(/^(-?[\d.]+),(-?[\d.]+)\s+([\d.]+)$/);
  if (!m) throw new CapAlertError(`${where}: "${value}" is not a "lat,lon radius" circle`);
  return { lat: Number(m[1]), lon: Number(m[2]), radiusKm: Number(m[3]) };
}

/** Parses a CAP 1.2 <alert>; throws CapAlertError (field capXml) saying what is wrong. */
export function parseCapAlert(xml: string): CapAlert {
  if (!xml || !xml.trim()) throw new CapAlertError('CAP alert XML is empty');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new CapAlertError(`CAP alert is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(xml) as Node;
  const alert = doc.alert as Node | undefined;
  if (!alert) throw new CapAlertError('CAP alert has no <alert> root element');
  const identifier = text(alert, 'identifier');
  if (!identifier) throw new CapAlertError('CAP alert has no <identifier>');
  const msgType = text(alert, 'msgType');
  if (!msgType) throw new CapAlertError('CAP alert has no <msgType>');
  const infos = (alert.info as Node[] | undefined) ?? [];
  if (infos.length === 0 && msgType !== 'Cancel') throw new CapAlertError('CAP alert has no <info> block');
  const info = infos.find((i) => /^en/i.test(text(i, 'language'))) ?? infos[0] ?? {};
  const areas = ((info.area as Node[] | undefined) ?? []).map((area, i) => ({
    areaDesc: text(area, 'areaDesc'),
    polygons: ((area.polygon as unknown[] | undefined) ?? []).map((p, j) => parsePolygon(String(p), `area ${i + 1} polygon ${j + 1}`)),
    circles: ((area.circle as unknown[] | undefined) ?? []).map((c, j) => parseCircle(String(c), `area ${i + 1} circle ${j + 1}`)),
    geocodes: ((area.geocode as Node[] | undefined) ?? []).map((g) => ({ valueName: text(g, 'valueName'), value: text(g, 'value') })),
  }));
  return {
    identifier,
    msgType,
    sender: text(alert, 'sender'),
    sent: text(alert, 'sent'),
    status: text(alert, 'status'),
    references: text(alert, 'references') || undefined,
    language: text(info, 'language') || 'en-US',
    event: text(info, 'event'),
    urgency: text(info, 'urgency'),
    severity: text(info, 'severity'),
    certainty: text(info, 'certainty'),
    headline: text(info, 'headline'),
    description: text(info, 'description'),
    instruction: text(info, 'instruction'),
    expires: text(info, 'expires') || undefined,
    areas,
  };
}

/** SMS text for an alert: headline and instruction (the description when there is no instruction). */
export function capAlertText(alert: CapAlert): string {
  const lines = [alert.headline || alert.event, alert.instruction || alert.description].map((s) => s.trim()).filter(Boolean);
  if (lines.length === 0) throw new CapAlertError('CAP alert has no <headline>, <event>, <instruction> or <description> to send');
  return lines.join('\n');
}

/** SMPP priority_flag from CAP severity and urgency: Extreme 3, Severe 2, Moderate 1, else 0; Immediate adds one. */
export function capPriority(alert: CapAlert): number {
  const base = ({ Extreme: 3, Severe: 2, Moderate: 1 } as Record<string, number>)[alert.severity] ?? 0;
  return Math.min(3, base + (alert.urgency === 'Immediate' && base < 3 ? 1 : 0));
}

/** Whether the alert is Extreme and Immediate: the case where a flash (class 0) message may be chosen. */
export function capIsExtremeImmediate(alert: CapAlert): boolean {
  return alert.severity === 'Extreme' && alert.urgency === 'Immediate';
}
