import { BroadcastInputError } from './cell-broadcast-errors';
import { MAX_ARC_RADIUS_METERS, MAX_POLYGON_POINTS, arcAsCircle, decodeArc, decodePolygon, encodeCircleArc, encodePolygon } from './gad-shapes';
import type { Point } from './gad-shapes';
import { AreaFormat } from './smpp5-definitions';

/** A point as `[lat, lon]` or `{ lat, lon }` (decimal degrees, WGS 84). */
export type PointInput = [number, number] | { lat: number; lon: number };

/** One target area of a broadcast, as a caller gives it. */
export type BroadcastAreaInput = { alias: string } | { circle: { lat: number; lon: number; radiusMeters: number } } | { polygon: PointInput[] };

/** A checked area (or one read back from the carrier). */
export type BroadcastArea =
  | { kind: 'alias'; alias: string }
  | { kind: 'circle'; lat: number; lon: number; radiusMeters: number }
  | { kind: 'polygon'; points: Point[] }
  | { kind: 'arc'; lat: number; lon: number; innerRadiusMeters: number; widthMeters: number; offsetAngleDegrees: number; includedAngleDegrees: number }
  | { kind: 'unreadable'; format: number; hex: string; problem: string };

/** broadcast_area_identifier value as node-smpp's filter takes and gives it. */
export interface AreaIdentifier {
  format: number;
  data: Buffer | string;
}

// SMPP 5.0 bounds the whole TLV; an alias/name this long is already unusual.
const MAX_ALIAS_LENGTH = 100;
export const MAX_AREAS = 100;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readCoordinate(value: unknown, field: string, name: 'latitude' | 'longitude'): number {
  const limit = name === 'latitude' ? 90 : 180;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new BroadcastInputError(field, `${name} must be a number (got ${JSON.stringify(value)})`);
  if (Math.abs(n) > limit) throw new BroadcastInputError(field, `${name} ${n} is outside -${limit}..${limit}`);
  return n;
}

function readPoint(value: unknown, field: string): Point {
  if (Array.isArray(value) && value.length === 2) return [readCoordinate(value[0], field, 'latitude'), readCoordinate(value[1], field, 'longitude')];
  if (isRecord(value) && 'lat' in value && 'lon' in value) return [readCoordinate(value.lat, field, 'latitude'), readCoordinate(value.lon, field, 'longitude')];
  throw new BroadcastInputError(field, `a point is [lat, lon] or { lat, lon } (got ${JSON.stringify(value)})`);
}

const samePoint = (a: Point, b: Point): boolean => a[0] === b[0] && a[1] === b[1];

/** Twice the signed area in degree units (shoelace); 0 when every point is on one line. */
function doubledArea(points: Point[]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const [y1, x1] = points[i];
    const [y2, x2] = points[(i + 1) % points.length];
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

function cross(o: Point, a: Point, b: Point): number {
  return (a[1] - o[1]) * (b[0] - o[0]) - (a[0] - o[0]) * (b[1] - o[1]);
}

function segmentsCross(p1: Point, p2: Point, q1: Point, q2: Point): boolean {
  const d1 = cross(q1, q2, p1);
  const d2 = cross(q1, q2, p2);
  const d3 = cross(p1, p2, q1);
  const d4 = cross(p1, p2, q2);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/** The first pair of non-adjacent edges that cross (1-based edge numbers), or null. */
function crossingEdges(points: Point[]): [number, number] | null {
  const n = points.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // adjacent through the closing edge
      if (segmentsCross(points[i], points[(i + 1) % n], points[j], points[(j + 1) % n])) return [i + 1, j + 1];
    }
  }
  return null;
}

/** Checks a polygon: 3..15 distinct points in order around the area (a repeated closing point is dropped). */
export function checkPolygon(value: unknown, field: string): Point[] {
  if (!Array.isArray(value)) throw new BroadcastInputError(field, `must be a list of points (got ${JSON.stringify(value)})`);
  const points: Point[] = [];
  value.forEach((raw, i) => {
    const point = readPoint(raw, `${field}[${i}]`);
    if (points.length === 0 || !samePoint(points[points.length - 1], point)) points.push(point);
  });
  if (points.length > 1 && samePoint(points[0], points[points.length - 1])) points.pop();
  const distinct = new Set(points.map((p) => `${p[0]},${p[1]}`)).size;
  if (distinct < 3) throw new BroadcastInputError(field, `needs at least 3 distinct points (got ${distinct})`);
  if (points.length > MAX_POLYGON_POINTS) {
    throw new BroadcastInputError(
      field,
      `has ${points.length} points; a 3GPP TS 23.032 polygon holds at most ${MAX_POLYGON_POINTS}: simplify it or split the area`,
    );
  }
  const crossing = crossingEdges(points);
  if (crossing) throw new BroadcastInputError(field, `edges ${crossing[0]} and ${crossing[1]} cross; list the points in order around the area`);
  if (Math.abs(doubledArea(points)) < 1e-12) throw new BroadcastInputError(field, 'the points lie on one line: the polygon encloses no area');
  return points;
}

function checkAlias(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new BroadcastInputError(field, 'is empty; give the area name the carrier configured');
  const alias = value.trim();
  if (!/^[\x20-\x7e]+$/.test(alias)) throw new BroadcastInputError(field, `must be printable ASCII (got ${JSON.stringify(alias)})`);
  if (alias.length > MAX_ALIAS_LENGTH) throw new BroadcastInputError(field, `is ${alias.length} characters; at most ${MAX_ALIAS_LENGTH}`);
  return alias;
}

function checkCircle(value: unknown, field: string): BroadcastArea {
  if (!isRecord(value)) throw new BroadcastInputError(field, `must be { lat, lon, radiusMeters } (got ${JSON.stringify(value)})`);
  const lat = readCoordinate(value.lat, field, 'latitude');
  const lon = readCoordinate(value.lon, field, 'longitude');
  const radius = typeof value.radiusMeters === 'string' ? Number(value.radiusMeters) : value.radiusMeters;
  if (typeof radius !== 'number' || !Number.isFinite(radius) || radius <= 0)
    throw new BroadcastInputError(`${field}.radiusMeters`, `must be a number above 0 (got ${JSON.stringify(value.radiusMeters)})`);
  if (radius > MAX_ARC_RADIUS_METERS)
    throw new BroadcastInputError(`${field}.radiusMeters`, `${radius} m is more than the largest encodable radius (${Math.floor(MAX_ARC_RADIUS_METERS)} m)`);
  return { kind: 'circle', lat, lon, radiusMeters: radius };
}

/** Checks every area; each problem names its place, e.g. `areas[1].polygon[3]`. */
export function checkAreas(value: unknown, field = 'areas'): BroadcastArea[] {
  if (!Array.isArray(value) || value.length === 0) throw new BroadcastInputError(field, 'give at least one area (alias, circle or polygon)');
  if (value.length > MAX_AREAS) throw new BroadcastInputError(field, `${value.length} areas; at most ${MAX_AREAS} in one broadcast`);
  return value.map((raw: unknown, i): BroadcastArea => {
    const where = `${field}[${i}]`;
    const kinds = isRecord(raw) ? ['alias', 'circle', 'polygon'].filter((k) => k in raw) : [];
    if (!isRecord(raw) || kinds.length !== 1) throw new BroadcastInputError(where, `give exactly one of alias, circle or polygon (got ${JSON.stringify(raw)})`);
    if (kinds[0] === 'alias') return { kind: 'alias', alias: checkAlias(raw.alias, `${where}.alias`) };
    if (kinds[0] === 'circle') return checkCircle(raw.circle, `${where}.circle`);
    return { kind: 'polygon', points: checkPolygon(raw.polygon, `${where}.polygon`) };
  });
}

/** The broadcast_area_identifier for a checked area. */
export function encodeArea(area: BroadcastArea): AreaIdentifier {
  switch (area.kind) {
    case 'alias':
      return { format: AreaFormat.alias, data: Buffer.from(area.alias, 'ascii') };
    case 'circle':
      return { format: AreaFormat.ellipsoidArc, data: encodeCircleArc(area) };
    case 'polygon':
      return { format: AreaFormat.polygon, data: encodePolygon(area.points) };
    default:
      throw new RangeError(`cannot send an area of kind ${area.kind}`);
  }
}

/** Reads a broadcast_area_identifier back (what the carrier echoes in responses, or what the sandbox receives). */
export function decodeArea(identifier: AreaIdentifier): BroadcastArea {
  const data = typeof identifier.data === 'string' ? Buffer.from(identifier.data, 'ascii') : identifier.data;
  const unreadable = (problem: string): BroadcastArea => ({ kind: 'unreadable', format: identifier.format, hex: data.toString('hex'), problem });
  try {
    switch (identifier.format) {
      case AreaFormat.alias:
        return { kind: 'alias', alias: data.toString('ascii') };
      case AreaFormat.polygon:
        return { kind: 'polygon', points: decodePolygon(data) };
      case AreaFormat.ellipsoidArc: {
        const arc = decodeArc(data);
        const circle = arcAsCircle(arc);
        return circle ? { kind: 'circle', ...circle } : { kind: 'arc', ...arc };
      }
      default:
        return unreadable(`unknown area format 0x${identifier.format.toString(16).padStart(2, '0')}`);
    }
  } catch (err) {
    return unreadable((err as Error).message);
  }
}

const round = (n: number, digits = 5): number => Number(n.toFixed(digits));

/** A short human description, e.g. "circle 51.5,-0.12 r 2594 m" or "polygon of 4 points". */
export function describeArea(area: BroadcastArea): string {
  switch (area.kind) {
    case 'alias':
      return `alias ${area.alias}`;
    case 'circle':
      return `circle ${round(area.lat)},${round(area.lon)} r ${Math.round(area.radiusMeters)} m`;
    case 'polygon':
      return `polygon of ${area.points.length} points (${area.points.map(([lat, lon]) => `${round(lat)},${round(lon)}`).join(' ')})`;
    case 'arc':
      return `arc at ${round(area.lat)},${round(area.lon)} from ${area.innerRadiusMeters} m, ${Math.round(area.widthMeters)} m wide, ${area.offsetAngleDegrees}+${area.includedAngleDegrees} degrees`;
    case 'unreadable':
      return `unreadable area (format ${area.format}): ${area.problem}`;
  }
}

/** Whether two encoded identifiers are the same octets (used to match areas the carrier echoes). */
export function sameIdentifier(a: AreaIdentifier, b: AreaIdentifier): boolean {
  const bytes = (x: AreaIdentifier): Buffer => (typeof x.data === 'string' ? Buffer.from(x.data, 'ascii') : x.data);
  return a.format === b.format && bytes(a).equals(bytes(b));
}
