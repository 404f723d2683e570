/**
 * Polygons and circles in the binary form of 3GPP TS 23.032 (Universal Geographical Area
 * Description, "GAD"), the coding SMPP 5.0 names for broadcast_area_identifier formats 0x01
 * (Ellipsoid Arc) and 0x02 (Polygon). The area details start with the GAD "type of shape" octet
 * (23.032 clause 7.2), so each identifier is a complete, self-describing GAD shape.
 *
 * Point (23.032 clause 6.1 and 7.3.1), 6 octets:
 *   latitude  3 octets: bit 23 = sign (1 = south), bits 22-0 = N with N <= 2^23 * |lat| / 90 < N + 1
 *   longitude 3 octets: 24-bit two's complement N with N <= 2^24 * lon / 360 < N + 1
 *   One step is 90 / 2^23 degrees of latitude (about 1.2 m); we decode to the middle of the step.
 * Polygon (clause 7.3.4), 1 + 6n octets: octet 1 = 0101 (shape) << 4 | n (3..15 points), then n points.
 * Ellipsoid Arc (clause 7.3.7), 13 octets: octet 1 = 1010 << 4; point; inner radius (2 octets,
 *   5 m steps: 5N <= r < 5(N+1)); uncertainty radius (1 octet, 7 bits, r = 10 * (1.1^k - 1) m);
 *   offset angle (1 octet, 2 degree steps); included angle (1 octet, 2N < a <= 2(N+1) degrees);
 *   confidence (1 octet, 7 bits, percent; 0 = no information).
 * A circle is sent as an arc from radius 0 over the full 360 degrees: the uncertainty radius is
 * the circle's radius, rounded UP to the next code (steps of about 10%), so the broadcast covers
 * at least the circle asked for.
 */

export type Point = [lat: number, lon: number];

const SHAPE_POLYGON = 0b0101;
const SHAPE_ELLIPSOID_ARC = 0b1010;
const LAT_SCALE = 2 ** 23 / 90;
const LON_SCALE = 2 ** 24 / 360;
export const MAX_POLYGON_POINTS = 15;
/** Largest radius the 7-bit uncertainty code reaches: 10 * (1.1^127 - 1) m, about 1,800 km. */
export const MAX_ARC_RADIUS_METERS = uncertaintyRadius(127);
const FULL_CIRCLE_CODE = 179; // 2 * 179 < 360 <= 2 * 180

export class GadDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GadDecodeError';
  }
}

function uncertaintyRadius(k: number): number {
  return 10 * (1.1 ** k - 1);
}

/** The smallest uncertainty code whose radius is at least `meters`. */
export function uncertaintyCodeFor(meters: number): number {
  for (let k = 0; k <= 127; k++) if (uncertaintyRadius(k) >= meters - 1e-9) return k;
  throw new RangeError(`radius ${meters} m is beyond the largest GAD uncertainty radius (${Math.floor(MAX_ARC_RADIUS_METERS)} m)`);
}

function writePoint(out: Buffer, offset: number, [lat, lon]: Point): void {
  const latCode = Math.min(2 ** 23 - 1, Math.floor(Math.abs(lat) * LAT_SCALE));
  out.writeUIntBE((lat < 0 ? 0x800000 : 0) | latCode, offset, 3);
  let lonCode = Math.floor(lon * LON_SCALE);
  if (lonCode >= 2 ** 23) lonCode -= 2 ** 24; // +180 is the same meridian as -180
  out.writeIntBE(lonCode, offset + 3, 3);
}

function readPoint(data: Buffer, offset: number): Point {
  const rawLat = data.readUIntBE(offset, 3);
  const magnitude = ((rawLat & 0x7fffff) + 0.5) / LAT_SCALE;
  const lon = (data.readIntBE(offset + 3, 3) + 0.5) / LON_SCALE;
  return [rawLat & 0x800000 ? -magnitude : magnitude, lon];
}

/** Encodes 3..15 points (already validated) as a GAD polygon. */
export function encodePolygon(points: Point[]): Buffer {
  if (points.length < 3 || points.length > MAX_POLYGON_POINTS) throw new RangeError(`a GAD polygon holds 3..15 points, got ${points.length}`);
  const out = Buffer.alloc(1 + 6 * points.length);
  out[0] = (SHAPE_POLYGON << 4) | points.length;
  points.forEach((p, i) => writePoint(out, 1 + 6 * i, p));
  return out;
}

export function decodePolygon(data: Buffer): Point[] {
  if (data.length < 1 || data[0] >> 4 !== SHAPE_POLYGON) throw new GadDecodeError('not a GAD polygon (type of shape is not 0101)');
  const count = data[0] & 0x0f;
  if (count < 3) throw new GadDecodeError(`a GAD polygon needs at least 3 points, this one says ${count}`);
  if (data.length !== 1 + 6 * count) throw new GadDecodeError(`a GAD polygon of ${count} points is ${1 + 6 * count} octets, got ${data.length}`);
  return Array.from({ length: count }, (_, i) => readPoint(data, 1 + 6 * i));
}

export interface Circle {
  lat: number;
  lon: number;
  radiusMeters: number;
}

/** Encodes a circle as a full-turn GAD ellipsoid arc with inner radius 0. */
export function encodeCircleArc(circle: Circle): Buffer {
  const out = Buffer.alloc(13);
  out[0] = SHAPE_ELLIPSOID_ARC << 4;
  writePoint(out, 1, [circle.lat, circle.lon]);
  out.writeUInt16BE(0, 7); // inner radius
  out[9] = uncertaintyCodeFor(circle.radiusMeters);
  out[10] = 0; // offset angle
  out[11] = FULL_CIRCLE_CODE;
  out[12] = 0; // confidence: no information
  return out;
}

export interface Arc {
  lat: number;
  lon: number;
  innerRadiusMeters: number;
  /** Width of the ring beyond the inner radius (the GAD uncertainty radius). */
  widthMeters: number;
  offsetAngleDegrees: number;
  includedAngleDegrees: number;
}

export function decodeArc(data: Buffer): Arc {
  if (data.length !== 13 || data[0] >> 4 !== SHAPE_ELLIPSOID_ARC) throw new GadDecodeError('not a GAD ellipsoid arc (13 octets, type of shape 1010)');
  const [lat, lon] = readPoint(data, 1);
  return {
    lat,
    lon,
    innerRadiusMeters: 5 * data.readUInt16BE(7),
    widthMeters: uncertaintyRadius(data[9] & 0x7f),
    offsetAngleDegrees: 2 * data[10],
    includedAngleDegrees: 2 * (data[11] + 1),
  };
}

/** The circle an arc describes, when it is one (inner radius 0, full turn); null otherwise. */
export function arcAsCircle(arc: Arc): Circle | null {
  if (arc.innerRadiusMeters !== 0 || arc.includedAngleDegrees < 360) return null;
  return { lat: arc.lat, lon: arc.lon, radiusMeters: arc.widthMeters };
}
