import type { CapArea } from '../broadcast/cap-alert';
import type { BroadcastAreaInput } from './broadcast-area';
import { MAX_POLYGON_POINTS } from './gad-shapes';
import type { Point } from './gad-shapes';
import { simplifyRing } from './polygon-simplify';

export interface CapAreaConversion {
  areas: BroadcastAreaInput[];
  /** What was changed on the way, for the output (e.g. a polygon simplified to 15 points). */
  notes: string[];
}

function openRing(points: Array<[number, number]>): Point[] {
  const ring = points.map(([lat, lon]) => [lat, lon] as Point);
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (ring.length > 1 && first[0] === last[0] && first[1] === last[1]) ring.pop();
  return ring;
}

/**
 * Broadcast areas from the <area> blocks of a CAP alert: each <polygon> becomes a polygon
 * (simplified to 15 points when longer), each <circle> a circle (CAP radius is in km), each
 * <geocode> an alias named by its <value> (the carrier must know these codes as area names), and
 * an <area> with none of these an alias named by its <areaDesc>.
 */
export function capAreasToBroadcastAreas(capAreas: CapArea[]): CapAreaConversion {
  const areas: BroadcastAreaInput[] = [];
  const notes: string[] = [];
  capAreas.forEach((area, i) => {
    const label = area.areaDesc || `area ${i + 1}`;
    area.polygons.forEach((polygon, j) => {
      const ring = openRing(polygon);
      if (ring.length > MAX_POLYGON_POINTS) {
        notes.push(`${label}: polygon ${j + 1} simplified from ${ring.length} to ${MAX_POLYGON_POINTS} points (the most a 3GPP TS 23.032 polygon holds)`);
        areas.push({ polygon: simplifyRing(ring, MAX_POLYGON_POINTS) });
      } else {
        areas.push({ polygon: ring });
      }
    });
    for (const circle of area.circles) areas.push({ circle: { lat: circle.lat, lon: circle.lon, radiusMeters: circle.radiusKm * 1000 } });
    for (const geocode of area.geocodes) if (geocode.value) areas.push({ alias: geocode.value });
    if (area.polygons.length === 0 && area.circles.length === 0 && area.geocodes.length === 0 && area.areaDesc) areas.push({ alias: area.areaDesc });
  });
  return { areas, notes };
}
