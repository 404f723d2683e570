import type { Point } from './gad-shapes';

/** Area of the triangle a-b-c in degree units (longitude scaled by cos(latitude) so shapes are not squashed). */
function triangleArea(a: Point, b: Point, c: Point): number {
  const k = Math.cos((b[0] * Math.PI) / 180);
  return Math.abs((b[1] - a[1]) * k * (c[0] - a[0]) - (c[1] - a[1]) * k * (b[0] - a[0])) / 2;
}

/**
 * Visvalingam-Whyatt simplification of a closed ring (no repeated closing point): repeatedly drops
 * the point whose removal changes the shape least (smallest triangle with its neighbours) until
 * `maxPoints` remain. Used for CAP polygons, which often have hundreds of points, when the GAD
 * polygon holds 15. The result follows the outline closely but may cut or add small slivers.
 */
export function simplifyRing(points: Point[], maxPoints: number): Point[] {
  const ring = points.slice();
  while (ring.length > maxPoints) {
    let smallest = Infinity;
    let index = 0;
    for (let i = 0; i < ring.length; i++) {
      const area = triangleArea(ring[(i - 1 + ring.length) % ring.length], ring[i], ring[(i + 1) % ring.length]);
      if (area < smallest) {
        smallest = area;
        index = i;
      }
    }
    ring.splice(index, 1);
  }
  return ring;
}
