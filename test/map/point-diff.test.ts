// The map's incremental updates: what PointDiffer sends MapLibre for each change of a
// live collection, and the GCJ-02 shift applied on the way.
import { describe, expect, it } from 'vitest';
import gcoord from 'gcoord';
import { PointDiffer, type PointSpec } from '../../client/src/map/point-diff.ts';
import { projectionFor } from '../../client/src/map/projection.ts';

interface Unit {
  at: [number, number] | null;
  status: string;
}
const spec: PointSpec<Unit> = { place: (u) => u.at, props: (u) => ({ status: u.status }) };

const fleet = (n: number): Record<string, Unit> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`A${i}`, { at: [95.7 + i * 0.001, 40.5] as [number, number], status: 'available' }]));

describe('PointDiffer', () => {
  it('sends the whole collection first, with ids as feature ids and properties', () => {
    const update = new PointDiffer(spec).next(fleet(3));
    expect(update.kind).toBe('full');
    if (update.kind !== 'full') return;
    expect(update.data.features.map((f) => [f.id, f.properties?.id, f.properties?.status])).toEqual([
      ['A0', 'A0', 'available'],
      ['A1', 'A1', 'available'],
      ['A2', 'A2', 'available'],
    ]);
  });

  it('then sends only what moved, changed, appeared or went away', () => {
    const differ = new PointDiffer(spec);
    const units = fleet(20);
    differ.next(units);
    expect(differ.next(units).kind).toBe('none');

    units.A1 = { ...units.A1!, at: [96, 41] };
    units.A2 = { ...units.A2!, status: 'dispatched' };
    units.A20 = { at: [95, 40], status: 'available' };
    delete units.A3;
    units.A4 = { ...units.A4!, at: null }; // lost its fix: off the map
    const update = differ.next(units);
    expect(update.kind).toBe('diff');
    if (update.kind !== 'diff') return;
    expect(update.changed).toBe(5);
    expect(update.diff.remove?.sort()).toEqual(['A3', 'A4']);
    expect(update.diff.add?.map((f) => f.id)).toEqual(['A20']);
    expect(update.diff.update).toEqual([
      { id: 'A1', newGeometry: { type: 'Point', coordinates: [96, 41] } },
      {
        id: 'A2',
        removeAllProperties: true,
        addOrUpdateProperties: [
          { key: 'status', value: 'dispatched' },
          { key: 'id', value: 'A2' },
        ],
      },
    ]);
  });

  it('falls back to a whole collection when most features changed, and after a reset', () => {
    const differ = new PointDiffer(spec);
    const units = fleet(10);
    differ.next(units);
    for (const id of ['A0', 'A1', 'A2', 'A3', 'A4', 'A5']) units[id] = { ...units[id]!, status: 'offline' };
    expect(differ.next(units).kind).toBe('full');
    units.A0 = { ...units.A0!, status: 'available' };
    expect(differ.next(units).kind).toBe('diff');
    differ.reset();
    expect(differ.next(units).kind).toBe('full');
  });

  it('always sends whole collections when asked to (the benchmark baseline)', () => {
    const differ = new PointDiffer(spec, undefined, 0.5, true);
    const units = fleet(5);
    differ.next(units);
    units.A0 = { ...units.A0!, status: 'offline' };
    expect(differ.next(units).kind).toBe('full');
  });

  it('shifts points onto a GCJ-02 basemap, and clicks back to WGS-84', () => {
    const gcj = projectionFor('gcj02');
    const differ = new PointDiffer(spec, gcj.toMap);
    const update = differ.next({ X: { at: [95.78, 40.52], status: 'available' } });
    if (update.kind !== 'full') throw new Error('expected a full update');
    const [lng, lat] = update.data.features[0]!.geometry.coordinates as [number, number];
    const expected = gcoord.transform([95.78, 40.52], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    expect([lng, lat]).toEqual(expected);
    // The shift in Guazhou is about a hundred metres, and the way back lands within a metre.
    expect(Math.abs(lng - 95.78) + Math.abs(lat - 40.52)).toBeGreaterThan(0.001);
    const [backLng, backLat] = gcj.fromMap([lng, lat]);
    expect(Math.abs(backLng - 95.78)).toBeLessThan(1e-5);
    expect(Math.abs(backLat - 40.52)).toBeLessThan(1e-5);
  });

  it('leaves WGS-84 data and GeoJSON untouched on a WGS-84 basemap, and copies before shifting', () => {
    const wgs = projectionFor('wgs84');
    const line = {
      type: 'LineString' as const,
      coordinates: [
        [95.7, 40.5],
        [95.8, 40.6],
      ],
    };
    expect(wgs.geojsonToMap(line)).toBe(line);
    const shifted = projectionFor('gcj02').geojsonToMap(line);
    expect(line.coordinates[0]).toEqual([95.7, 40.5]);
    expect(shifted.coordinates[0]).not.toEqual([95.7, 40.5]);
  });
});
