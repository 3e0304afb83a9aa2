// The OSRM provider against a stand-in server that answers as OSRM's table and route
// services do (shapes from the OSRM HTTP API documentation), recording what was asked.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OsrmRouter } from '../../server/routing/osrm-router.ts';

describe('the OSRM route provider', () => {
  let server: Server;
  let base = '';
  const asked: string[] = [];
  let failNext = false;

  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      if (failNext) {
        failNext = false;
        res.statusCode = 400;
        return res.end(JSON.stringify({ code: 'InvalidQuery', message: 'Query string malformed' }));
      }
      if (req.url?.startsWith('/table/')) {
        return res.end(JSON.stringify({ code: 'Ok', durations: [[600.5], [null], [120]], distances: [[9000], [null], [1500.2]] }));
      }
      return res.end(
        JSON.stringify({
          code: 'Ok',
          routes: [
            {
              duration: 123.4,
              distance: 2345.6,
              geometry: {
                type: 'LineString',
                coordinates: [
                  [95.7, 40.5],
                  [95.75, 40.51],
                  [95.78, 40.52],
                ],
              },
            },
          ],
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('asks the table service for every unit to the target at once and reads durations and distances', async () => {
    const router = new OsrmRouter(base);
    const etas = await router.etas(
      [95.78, 40.52],
      [
        { id: 'A', at: [95.7, 40.5] },
        { id: 'B', at: [96.1, 40.6] },
        { id: 'C', at: [95.77, 40.51] },
      ],
    );
    expect(asked.at(-1)).toBe(
      '/table/v1/driving/95.780000,40.520000;95.700000,40.500000;96.100000,40.600000;95.770000,40.510000?sources=1;2;3&destinations=0&annotations=duration,distance',
    );
    expect(etas.get('A')).toEqual({ etaSeconds: 600.5, distanceMeters: 9000 });
    expect(etas.get('B')).toBeNull(); // OSRM found no way
    expect(etas.get('C')).toEqual({ etaSeconds: 120, distanceMeters: 1500.2 });
  });

  it('reads one route with its geometry', async () => {
    const route = await new OsrmRouter(base).route([95.7, 40.5], [95.78, 40.52]);
    expect(asked.at(-1)).toBe('/route/v1/driving/95.700000,40.500000;95.780000,40.520000?overview=full&geometries=geojson');
    expect(route).toEqual({
      etaSeconds: 123.4,
      distanceMeters: 2345.6,
      geometry: [
        [95.7, 40.5],
        [95.75, 40.51],
        [95.78, 40.52],
      ],
    });
  });

  it('reports OSRM errors with their code and message', async () => {
    failNext = true;
    await expect(new OsrmRouter(base).route([95.7, 40.5], [95.78, 40.52])).rejects.toThrow(/InvalidQuery: Query string malformed/);
  });
});
