// Coverage from OSRM: the table service asked with one source against the grids in chunks
// (osrm-routed's --max-table-size), answered by a stand-in server that prices each
// destination by its position in the request, so a chunk read at the wrong offset fails.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OsrmReach } from '../../server/routing/osrm-reach.ts';
import type { LngLat } from '../../server/schema/index.ts';

describe('OsrmReach', () => {
  let server: Server;
  let base = '';
  const asked: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      const coords = (req.url ?? '').split('/')[4]!.split('?')[0]!.split(';');
      if (coords.length > 100) {
        res.statusCode = 400;
        return res.end(JSON.stringify({ code: 'TooBig', message: 'Too many table coordinates' }));
      }
      // Duration: the destination's latitude past 40°, in thousandths, as seconds; null for lat 41.000000.
      const row = coords.map((c, i) => (i === 0 ? 0 : c.endsWith(',41.000000') ? null : Math.round((Number(c.split(',')[1]) - 40) * 1000)));
      return res.end(JSON.stringify({ code: 'Ok', durations: [row] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('asks one source against every grid in chunks under the table limit and reads each grid at its place', async () => {
    const targets: LngLat[] = Array.from({ length: 250 }, (_, i) => [95.5, 40 + (i + 1) / 1000]);
    targets[7] = [95.5, 41];
    const reach = new OsrmReach(base, targets, { maxSeconds: 200 });
    asked.length = 0;
    const row = await reach.secondsFrom([95.7, 40.5]);
    expect(asked).toHaveLength(3);
    for (const url of asked) expect(url).toMatch(/^\/table\/v1\/driving\/95\.700000,40\.500000;.*\?sources=0&annotations=duration$/);
    expect(row).toHaveLength(250);
    expect(row[0]).toBe(1);
    expect(row[7]).toBe(Infinity); // no way
    expect(row[150]).toBe(151);
    expect(row[220]).toBe(Infinity); // past the bound (221 s)
  });

  it('reports a refused table with OSRM’s code', async () => {
    const reach = new OsrmReach(
      base,
      Array.from({ length: 120 }, (_, i): LngLat => [95.5, 40 + i / 1000]),
      { chunk: 120 },
    );
    await expect(reach.secondsFrom([95.7, 40.5])).rejects.toThrow(/TooBig/);
  });
});
