import fc from 'fast-check';
import { checkAreas, decodeArea, encodeArea } from '../../src/cellbroadcast/broadcast-area';
import { encodeBroadcastText } from '../../src/cellbroadcast/broadcast-content';
import { decodeFrequency, encodeFrequency } from '../../src/cellbroadcast/broadcast-frequency';
import { BroadcastInputError } from '../../src/cellbroadcast/cell-broadcast-errors';
import { MAX_ARC_RADIUS_METERS, decodePolygon, encodeCircleArc, encodePolygon, uncertaintyCodeFor } from '../../src/cellbroadcast/gad-shapes';
import { AreaFormat } from '../../src/cellbroadcast/smpp5-definitions';

const square: Array<[number, number]> = [
  [10, 10],
  [10, 11],
  [11, 11],
  [11, 10],
];

function inputError(run: () => unknown): { field: string; message: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof BroadcastInputError) return { field: err.field, message: err.message };
    throw err;
  }
  throw new Error('expected a BroadcastInputError');
}

describe('broadcast areas: checks with errors that name the field', () => {
  it.each([
    [
      [
        {
          polygon: [
            [1, 1],
            [2, 2],
          ],
        },
      ],
      'areas[0].polygon',
      'areas[0].polygon: needs at least 3 distinct points (got 2)',
    ],
    [
      [
        {
          polygon: [
            [1, 1],
            [2, 2],
            [1, 1],
            [2, 2],
          ],
        },
      ],
      'areas[0].polygon',
      'areas[0].polygon: needs at least 3 distinct points (got 2)',
    ],
    [
      [
        { alias: 'X' },
        {
          polygon: [
            [1, 1],
            [95, 2],
            [3, 3],
          ],
        },
      ],
      'areas[1].polygon[1]',
      'areas[1].polygon[1]: latitude 95 is outside -90..90',
    ],
    [
      [
        {
          polygon: [
            [0, 0],
            [1, 1],
            [2, 2],
          ],
        },
      ],
      'areas[0].polygon',
      'areas[0].polygon: the points lie on one line: the polygon encloses no area',
    ],
    [
      [
        {
          polygon: [
            [0, 0],
            [0, 2],
            [2, 0],
            [2, 2],
          ],
        },
      ],
      'areas[0].polygon',
      'areas[0].polygon: edges 2 and 4 cross; list the points in order around the area',
    ],
    [[{ polygon: 'a,b' }], 'areas[0].polygon', 'areas[0].polygon: must be a list of points (got "a,b")'],
    [
      [
        {
          polygon: [
            [1, 'x'],
            [2, 2],
            [3, 1],
          ],
        },
      ],
      'areas[0].polygon[0]',
      'areas[0].polygon[0]: longitude must be a number (got "x")',
    ],
    [[{ circle: { lat: 51, lon: 0, radiusMeters: 0 } }], 'areas[0].circle.radiusMeters', 'areas[0].circle.radiusMeters: must be a number above 0 (got 0)'],
    [[{ circle: { lat: 51, lon: 200, radiusMeters: 10 } }], 'areas[0].circle', 'areas[0].circle: longitude 200 is outside -180..180'],
    [[{ alias: '' }], 'areas[0].alias', 'areas[0].alias: is empty; give the area name the carrier configured'],
    [[{ alias: 'Zürich' }], 'areas[0].alias', 'areas[0].alias: must be printable ASCII (got "Zürich")'],
    [[{ alias: 'A', polygon: square }], 'areas[0]', 'areas[0]: give exactly one of alias, circle or polygon'],
    [[], 'areas', 'areas: give at least one area (alias, circle or polygon)'],
  ])('%j -> %s', (areas, field, message) => {
    const error = inputError(() => checkAreas(areas));
    expect(error.field).toBe(field);
    expect(error.message.slice(0, message.length)).toBe(message);
  });

  it('refuses more than 15 polygon points (the GAD polygon limit)', () => {
    const ring = Array.from({ length: 16 }, (_, i): [number, number] => [Math.sin((i / 16) * 2 * Math.PI), Math.cos((i / 16) * 2 * Math.PI)]);
    expect(inputError(() => checkAreas([{ polygon: ring }])).message).toMatch(
      /^areas\[0\]\.polygon: has 16 points; a 3GPP TS 23\.032 polygon holds at most 15/,
    );
    expect(() => checkAreas([{ polygon: ring.slice(0, 15) }])).not.toThrow();
  });

  it('accepts { lat, lon } points and drops a repeated closing point', () => {
    const [area] = checkAreas([
      {
        polygon: [
          { lat: 1, lon: 1 },
          { lat: 1, lon: 2 },
          { lat: 2, lon: 2 },
          { lat: 1, lon: 1 },
        ],
      },
    ]);
    expect(area).toEqual({
      kind: 'polygon',
      points: [
        [1, 1],
        [1, 2],
        [2, 2],
      ],
    });
  });
});

describe('3GPP TS 23.032 encoding of areas', () => {
  it("a polygon is 1 + 6n octets: shape 0101 and the point count, then sign/magnitude latitude and two's complement longitude", () => {
    const data = encodePolygon([
      [-45, -90],
      [0, 0],
      [45, 90],
    ]);
    expect(data.length).toBe(19);
    expect(data[0]).toBe(0x53);
    expect(data.subarray(1, 7).toString('hex')).toBe('c00000c00000'); // south 45 = sign + 2^22; -90 = -2^22
    expect(data.subarray(7, 13).toString('hex')).toBe('000000000000');
    expect(data.subarray(13, 19).toString('hex')).toBe('400000400000');
  });

  it('round-trips any valid point within one coding step', () => {
    fc.assert(
      fc.property(fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: -180, max: 179.9999, noNaN: true }), (lat, lon) => {
        const [[rlat, rlon]] = decodePolygon(
          encodePolygon([
            [lat, lon],
            [0, 1],
            [1, 0],
          ]),
        );
        expect(Math.abs(rlat - lat)).toBeLessThanOrEqual(90 / 2 ** 23);
        expect(Math.abs(rlon - lon)).toBeLessThanOrEqual(360 / 2 ** 24);
      }),
    );
  });

  it('a circle becomes a full-turn ellipsoid arc from radius 0 whose radius is rounded up by at most one 10% step', () => {
    const data = encodeCircleArc({ lat: 51.5, lon: -0.12, radiusMeters: 2500 });
    expect(data.length).toBe(13);
    expect(data[0]).toBe(0xa0);
    expect(data.readUInt16BE(7)).toBe(0);
    expect(data[11]).toBe(179);
    fc.assert(
      fc.property(fc.double({ min: 1, max: MAX_ARC_RADIUS_METERS, noNaN: true }), (radius) => {
        const area = decodeArea({ format: AreaFormat.ellipsoidArc, data: encodeCircleArc({ lat: 0, lon: 0, radiusMeters: radius }) });
        if (area.kind !== 'circle') throw new Error(area.kind);
        expect(area.radiusMeters).toBeGreaterThanOrEqual(radius - 1e-6);
        expect(area.radiusMeters).toBeLessThanOrEqual(radius * 1.1 + 1);
      }),
    );
    expect(() => uncertaintyCodeFor(MAX_ARC_RADIUS_METERS * 1.01)).toThrow(RangeError);
  });

  it('encodes aliases as ASCII with format 0 and reads unknown formats as unreadable instead of failing', () => {
    expect(encodeArea({ kind: 'alias', alias: 'DISTRICT-7' })).toEqual({ format: 0, data: Buffer.from('DISTRICT-7') });
    expect(decodeArea({ format: 7, data: Buffer.from([1, 2]) })).toEqual({ kind: 'unreadable', format: 7, hex: '0102', problem: 'unknown area format 0x07' });
    expect(decodeArea({ format: AreaFormat.polygon, data: Buffer.from([0x53, 0]) })).toMatchObject({
      kind: 'unreadable',
      problem: 'a GAD polygon of 3 points is 19 octets, got 2',
    });
  });
});

describe('text and repetition interval', () => {
  it('counts cell broadcast pages and refuses more than 15', () => {
    expect(encodeBroadcastText('a'.repeat(93))).toMatchObject({ encoding: 'gsm7', pages: 1, dataCoding: 0 });
    expect(encodeBroadcastText('a'.repeat(94)).pages).toBe(2);
    expect(encodeBroadcastText('€'.repeat(10)).payload.length).toBe(20); // escape + e per euro sign, one septet per octet
    expect(encodeBroadcastText('ł'.repeat(615))).toMatchObject({ encoding: 'ucs2', pages: 15, dataCoding: 8 });
    expect(inputError(() => encodeBroadcastText('a'.repeat(1396))).message).toBe('text: needs 16 cell broadcast pages; at most 15 fit (1395 GSM-7 characters)');
    expect(inputError(() => encodeBroadcastText('ł'.repeat(616))).message).toBe('text: needs 16 cell broadcast pages; at most 15 fit (615 UCS-2 characters)');
    expect(inputError(() => encodeBroadcastText('  ')).message).toBe('text: is empty; give the warning text');
  });

  it('writes the interval in the smallest unit that holds it and reads it back', () => {
    for (const seconds of [0, 1, 90, 65_535, 65_535 * 60, 2 * 86_400, 30 * 86_400]) {
      expect(decodeFrequency(encodeFrequency(seconds))).toBe(seconds);
    }
    expect(encodeFrequency(90)).toEqual({ unit: 0x08, interval: 90 });
    expect(encodeFrequency(65_580)).toEqual({ unit: 0x09, interval: 1093 });
    expect(inputError(() => encodeFrequency(65_537)).message).toMatch(/^frequencySeconds: 65537 s cannot be written/);
    expect(inputError(() => encodeFrequency(1.5)).message).toBe('frequencySeconds: must be a whole number of seconds, 0 or more (got 1.5)');
  });
});
