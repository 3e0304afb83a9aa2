// The OSRM adapters against responses real OSRM servers gave (test/fixtures/osrm/README.md says
// where each comes from): a stand-in server answers each table request from the recorded
// matrix of the same coordinates, with the rows and columns asked for, as osrm-routed would,
// and with a recorded error body for coordinates no recording has. The ETAs and their ranking
// must be the recorded numbers (unit → pickup: row = unit, column = pickup), a recorded `null`
// must come out unreachable, and real error codes must fail with their code and message.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OsrmReach } from '../../server/routing/osrm-reach.ts';
import { OsrmRouter } from '../../server/routing/osrm-router.ts';
import type { LngLat } from '../../server/schema/index.ts';

type Matrix = (number | null)[][];
interface TableBody {
  code: string;
  durations?: Matrix;
  distances?: Matrix;
  sources?: unknown[];
  destinations?: unknown[];
}
interface Recording {
  body: TableBody;
  /** The coordinates of the recorded request, in its order. */
  coordinates: LngLat[];
  /** The recorded request's sources and destinations (indexes into coordinates); all when absent. */
  sources?: number[];
  destinations?: number[];
}

const fixture = (name: string) => readFileSync(`test/fixtures/osrm/${name}`, 'utf8');
const BERLIN: LngLat[] = [
  [13.38886, 52.517037],
  [13.397634, 52.529407],
  [13.428555, 52.523219],
];
const MANHATTAN: LngLat[] = [
  [-73.990185, 40.714701],
  [-73.991801, 40.717571],
  [-73.985751, 40.715651],
];
const BANGALORE: LngLat[] = [
  [77.644811, 12.89188],
  // Sent as 77.629451099999997 in the recorded request.
  [77.6294511, 12.949284],
];
const recordings: Recording[] = [
  { body: JSON.parse(fixture('table-berlin.json')) as TableBody, coordinates: BERLIN },
  { body: JSON.parse(fixture('table-manhattan-durations.json')) as TableBody, coordinates: MANHATTAN },
  { body: JSON.parse(fixture('table-bangalore-unreachable.json')) as TableBody, coordinates: BANGALORE, sources: [0] },
];
const NO_SEGMENT = fixture('error-no-segment.json');
const INVALID_QUERY = fixture('error-invalid-query.json');

const indexes = (value: string | null, count: number) => (value === null || value === 'all' ? [...Array(count).keys()] : value.split(';').map(Number));
const same = (a: LngLat, b: LngLat) => Math.abs(a[0] - b[0]) < 1e-6 && Math.abs(a[1] - b[1]) < 1e-6;

/** What osrm-routed would answer to `url` from the recordings: a status and a body. */
function answer(url: URL): { status: number; body: string } {
  const match = /^\/table\/v1\/[^/]+\/(.+)$/.exec(url.pathname);
  if (!match) return { status: 400, body: INVALID_QUERY };
  const asked = match[1]!.split(';').map((c) => c.split(',').map(Number) as LngLat);
  const recording = recordings.find((r) => asked.every((c) => r.coordinates.some((k) => same(c, k))));
  // None of the recorded servers snapped these: the recorded answer of a server that could not.
  if (!recording) return { status: 400, body: NO_SEGMENT };
  const at = asked.map((c) => recording.coordinates.findIndex((k) => same(c, k)));
  const rowOf = (i: number) => (recording.sources ?? [...recording.coordinates.keys()]).indexOf(at[i]!);
  const columnOf = (i: number) => (recording.destinations ?? [...recording.coordinates.keys()]).indexOf(at[i]!);
  const rows = indexes(url.searchParams.get('sources'), asked.length).map(rowOf);
  const columns = indexes(url.searchParams.get('destinations'), asked.length).map(columnOf);
  const annotations = (url.searchParams.get('annotations') ?? 'duration').split(',');
  if (rows.includes(-1) || columns.includes(-1)) throw new Error(`not recorded: ${url.pathname}${url.search}`);
  const body: TableBody = { code: 'Ok' };
  for (const annotation of annotations) {
    const matrix = annotation === 'duration' ? recording.body.durations : recording.body.distances;
    if (!matrix) throw new Error(`not recorded: ${annotation} for ${url.pathname}`);
    body[annotation === 'duration' ? 'durations' : 'distances'] = rows.map((r) => columns.map((c) => matrix[r]![c]!));
  }
  return { status: 200, body: JSON.stringify(body) };
}

describe('the OSRM adapters against recorded OSRM responses', () => {
  let server: Server;
  let base = '';
  const asked: string[] = [];
  let routeReply: { status: number; body: string } | null = null;

  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.setHeader('content-type', 'application/json; charset=UTF-8');
      const url = new URL(req.url ?? '/', 'http://osrm');
      let reply: { status: number; body: string };
      try {
        reply = url.pathname.startsWith('/route/') ? (routeReply ?? { status: 400, body: INVALID_QUERY }) : answer(url);
      } catch (err) {
        reply = { status: 500, body: JSON.stringify({ code: 'NotRecorded', message: String(err) }) };
      }
      res.statusCode = reply.status;
      res.end(reply.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reads each unit’s ETA and distance to the pickup from the recorded Berlin table and ranks them as the recorded durations do', async () => {
    const router = new OsrmRouter(base);
    // Pickup at Friedrichstraße (coordinate 0); units at Platz der Vereinten Nationen (2) and Torstraße (1).
    const etas = await router.etas(BERLIN[0]!, [
      { id: 'far', at: BERLIN[2]! },
      { id: 'near', at: BERLIN[1]! },
    ]);
    expect(asked.at(-1)).toBe('/table/v1/driving/13.388860,52.517037;13.428555,52.523219;13.397634,52.529407?sources=1;2&destinations=0&annotations=duration,distance');
    // Recorded: durations[2][0] = 344.7 s, distances[2][0] = 3275.36 m; durations[1][0] = 199 s, distances[1][0] = 1824 m.
    expect(etas.get('far')).toEqual({ etaSeconds: 344.7, distanceMeters: 3275.36 });
    expect(etas.get('near')).toEqual({ etaSeconds: 199, distanceMeters: 1824 });
    const ranked = [...etas].sort(([, a], [, b]) => a!.etaSeconds - b!.etaSeconds).map(([id]) => id);
    expect(ranked).toEqual(['near', 'far']);
  });

  it('reads the unit-to-pickup direction of an asymmetric matrix (row: the unit, column: the pickup)', async () => {
    // Pickup at Platz der Vereinten Nationen (2): from Friedrichstraße 382.8 s (the way back is 344.7 s), from Torstraße 283.9 s (back 222.3 s).
    const etas = await new OsrmRouter(base).etas(BERLIN[2]!, [
      { id: 'friedrichstrasse', at: BERLIN[0]! },
      { id: 'torstrasse', at: BERLIN[1]! },
    ]);
    expect(etas.get('friedrichstrasse')).toEqual({ etaSeconds: 382.8, distanceMeters: 3791.3 });
    expect(etas.get('torstrasse')).toEqual({ etaSeconds: 283.9, distanceMeters: 2838.09 });
  });

  it('reads coverage’s road times from one source to every grid point from the recorded Manhattan table, in chunks too, up to its bound', async () => {
    const targets = [MANHATTAN[1]!, MANHATTAN[2]!];
    expect([...(await new OsrmReach(base, targets).secondsFrom(MANHATTAN[0]!))]).toEqual([39, 46.8]);
    expect(asked.at(-1)).toBe('/table/v1/driving/-73.990185,40.714701;-73.991801,40.717571;-73.985751,40.715651?sources=0&annotations=duration');
    // One grid point a request: the same recorded figures.
    expect([...(await new OsrmReach(base, targets, { chunk: 1 }).secondsFrom(MANHATTAN[0]!))]).toEqual([39, 46.8]);
    // Beyond the bound counts as not reached.
    expect([...(await new OsrmReach(base, targets, { maxSeconds: 40 }).secondsFrom(MANHATTAN[0]!))]).toEqual([39, Infinity]);
    // From the third point: the recorded row 2.
    expect([...(await new OsrmReach(base, [MANHATTAN[0]!, MANHATTAN[1]!]).secondsFrom(MANHATTAN[2]!))]).toEqual([47.2, 34.2]);
  });

  it('takes a recorded null as unreachable', async () => {
    const reach = await new OsrmReach(base, [BANGALORE[1]!]).secondsFrom(BANGALORE[0]!);
    expect(asked.at(-1)).toBe('/table/v1/driving/77.644811,12.891880;77.629451,12.949284?sources=0&annotations=duration');
    expect([...reach]).toEqual([Infinity]);
  });

  it('fails with the code and message of a real NoSegment answer (HTTP 400), for ETAs and coverage alike', async () => {
    const nowhere: LngLat = [44.0086, 30.7672];
    await expect(new OsrmRouter(base).etas(nowhere, [{ id: 'A', at: BERLIN[1]! }])).rejects.toThrow(/OSRM 400 NoSegment: Could not find a matching segment for coordinate 3/);
    await expect(new OsrmReach(base, [BERLIN[1]!]).secondsFrom(nowhere)).rejects.toThrow(/OSRM 400 NoSegment: Could not find a matching segment for coordinate 3/);
  });

  it('fails a route with the code and message of a real InvalidQuery answer', async () => {
    routeReply = { status: 400, body: INVALID_QUERY };
    await expect(new OsrmRouter(base).route(BERLIN[0]!, BERLIN[1]!)).rejects.toThrow(/OSRM 400 InvalidQuery: Query string malformed close to position 28/);
    expect(asked.at(-1)).toBe('/route/v1/driving/13.388860,52.517037;13.397634,52.529407?overview=full&geometries=geojson');
  });
});
