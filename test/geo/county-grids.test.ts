// The containment rules on the real sample grids (data/guazhou/grids.geojson): the
// generator's clipped Voronoi must give neighbours bit-identical shared vertices,
// or points on shared edges would fall in two grids or none.
import { readFileSync } from 'node:fs';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { gridNeighbours } from '../../server/geo/adjacency.ts';
import { createLocator } from '../../server/geo/locator.ts';
import { flattenPolygon, pointInFlatPolygon } from '../../server/geo/point-in-polygon.ts';
import { mulberry32 } from '../../server/simulator/random.ts';

const fc = JSON.parse(readFileSync(new URL('../../data/guazhou/grids.geojson', import.meta.url), 'utf8')) as FeatureCollection<Polygon | MultiPolygon, { id: string }>;
const rings = fc.features.map((f) => (f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat()));
const flats = rings.map(flattenPolygon);
const holders = (x: number, y: number) => flats.flatMap((f, k) => (pointInFlatPolygon(f, x, y) ? [k] : []));

describe('the sample county grids', () => {
  const locator = createLocator(fc);

  it('every grid has neighbours, and neighbourhood is symmetric', () => {
    const adjacency = gridNeighbours(fc.features);
    adjacency.forEach((list, i) => {
      expect(list.length, fc.features[i]!.properties.id).toBeGreaterThan(0);
      for (const j of list) expect(adjacency[j]).toContain(i);
    });
  });

  it('points on every shared edge lie in exactly one grid, and locate() finds it', () => {
    const owner = new Map<string, number>();
    let checked = 0;
    rings.forEach((feature, i) => {
      for (const ring of feature) {
        for (let k = 1; k < ring.length; k++) {
          const [ax, ay] = ring[k - 1] as [number, number];
          const [bx, by] = ring[k] as [number, number];
          const key = ax < bx || (ax === bx && ay < by) ? `${ax},${ay},${bx},${by}` : `${bx},${by},${ax},${ay}`;
          const other = owner.get(key);
          if (other === undefined) {
            owner.set(key, i);
            continue;
          }
          // Strictly inside a shared edge is strictly inside the county.
          const points: [number, number][] = [[(ax + bx) / 2, (ay + by) / 2]];
          if (ay !== by) {
            const y = ay + (by - ay) / 3;
            points.push([ax + ((y - ay) * (bx - ax)) / (by - ay), y], [bx + ((y - by) * (ax - bx)) / (ay - by), y]);
          }
          for (const [x, y] of points) {
            const h = holders(x, y);
            expect(h, `${x},${y} between grids ${other} and ${i}`).toHaveLength(1);
            expect([other, i]).toContain(h[0]);
            expect(locator.locate(x, y)?.id).toBe(fc.features[h[0]!]!.properties.id);
            checked++;
          }
        }
      }
    });
    expect(checked).toBeGreaterThan(2 * fc.features.length);
  });

  it('random points in the bounding box: locate() agrees with a brute-force loop', () => {
    const xs = flats.flatMap((f) => [...f.coords.filter((_, k) => k % 2 === 0)]);
    const ys = flats.flatMap((f) => [...f.coords.filter((_, k) => k % 2 === 1)]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const random = mulberry32(689);
    let inside = 0;
    for (let k = 0; k < 5000; k++) {
      const x = x0 + random() * (x1 - x0);
      const y = y0 + random() * (y1 - y0);
      const h = holders(x, y);
      expect(h.length).toBeLessThanOrEqual(1);
      expect(locator.locate(x, y)?.id ?? null).toBe(h.length ? fc.features[h[0]!]!.properties.id : null);
      if (h.length) inside++;
    }
    expect(inside).toBeGreaterThan(1000);
  });
});
