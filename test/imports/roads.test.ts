// Reading and building road imports, without a server: the hand-made OSM extract as XML and
// as PBF (zlib and raw blobs, made by osmium-tool) gives the same ways; each way is kept or
// dropped for its reason; lengths by class, one-way streets, maxspeed, the area cut, the
// connected pieces with their islands; GeoJSON (MultiLineString, GCJ-02) and a zipped
// Shapefile; unreadable files say why in Chinese.
import { readFileSync } from 'node:fs';
import gcoord from 'gcoord';
import shpwrite from '@mapbox/shp-write';
import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { readRoadFile } from '../../server/imports/roads/read-road-file.ts';
import { buildRoadSet, clipLine, grownBbox, type Bbox } from '../../server/imports/roads/build-road-set.ts';
import type { RawRoad } from '../../server/imports/roads/raw-road.ts';
import { pbfBlobs } from '../../server/imports/roads/osm-ways.ts';
import { DEFAULT_ROAD_SPEEDS_KMH } from '../../server/routing/road-speeds.ts';
import { GraphRouter } from '../../server/routing/graph-router.ts';
import { distanceMeters } from '../../server/geo/distance.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(`test/fixtures/roads/${name}`));
const AREA: Bbox = [95.55, 40.35, 95.95, 40.65];

async function read(bytes: Uint8Array) {
  const r = await readRoadFile(bytes);
  if (!r.ok) throw new Error(r.message);
  return r;
}

const build = (roads: RawRoad[], osm = true, area = AREA) => buildRoadSet({ roads, osm, crs: 'wgs84', area, speeds: DEFAULT_ROAD_SPEEDS_KMH });
const km = (a: [number, number], b: [number, number]) => distanceMeters(a[0], a[1], b[0], b[1]) / 1000;

describe('reading OSM extracts', () => {
  it.each([
    ['small.osm', 'osm-xml'],
    ['small.osm.pbf', 'osm-pbf'],
    ['small-raw.osm.pbf', 'osm-pbf'],
  ])('%s is read as %s: every way, its tags and its nodes', async (name, format) => {
    const r = await read(fixture(name));
    expect(r.format).toBe(format);
    expect(r.roads.map((w) => w.osmId)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    const trunk = r.roads[0]!;
    expect(trunk.tags).toMatchObject({ highway: 'trunk', name: 'G312' });
    expect(trunk.lines).toHaveLength(1);
    expect(trunk.lines[0]!.map(([x, y]) => [Number(x!.toFixed(7)), Number(y!.toFixed(7))])).toEqual([
      [95.7, 40.5],
      [95.75, 40.5],
      [95.8, 40.5],
      [95.85, 40.5],
    ]);
    // Way 108 names two nodes the file does not hold.
    expect(r.roads[8]).toMatchObject({ lines: [], missingNodes: 2 });
  });

  it('XML and PBF build the same network', async () => {
    const xml = build((await read(fixture('small.osm'))).roads);
    const pbf = build((await read(fixture('small.osm.pbf'))).roads);
    expect(pbf.summary).toEqual(xml.summary);
    expect(pbf.classes).toEqual(xml.classes);
  });

  it('splits a PBF file into its blobs: the header and the data', () => {
    const bytes = fixture('small.osm.pbf');
    const blobs = pbfBlobs(bytes);
    expect(blobs.length).toBeGreaterThanOrEqual(2);
    expect(blobs[0]![0]).toBe(0);
    expect(blobs.at(-1)![1]).toBe(bytes.length);
  });

  it.each([
    ['a truncated PBF', fixture('small.osm.pbf').subarray(0, 300), /PBF/],
    ['broken XML', new TextEncoder().encode('<osm><node id="1" lat="1" lon="2"></osm>'), /OSM XML 格式有误/],
    ['XML that is not OSM', new TextEncoder().encode('<kml><Document/></kml>'), /不是 OSM XML/],
    ['an empty file', new Uint8Array(), /文件为空/],
    ['a text file', new TextEncoder().encode('hello'), /无法识别的文件/],
  ])('%s is refused with its reason', async (_name, bytes, message) => {
    const r = await readRoadFile(bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe('building the road set from the OSM extract', () => {
  it('keeps the drivable ways and drops the others by reason', async () => {
    const set = build((await read(fixture('small.osm'))).roads);
    expect(set.summary).toMatchObject({ read: 10, kept: 5, dropped: 5 });
    const reasons = Object.fromEntries(set.dropped.map((d) => [d.reason, d.examples]));
    expect(reasons).toEqual({ 'not-drivable': [3], 'not-a-road': [4], 'no-access': [5], 'outside-area': [9, 10] });
  });

  it('measures the kept length by class, at the table speed', async () => {
    const set = build((await read(fixture('small.osm'))).roads);
    const byClass = Object.fromEntries(set.classes.map((c) => [c.class, c]));
    expect(Object.keys(byClass).sort()).toEqual(['motorway', 'primary', 'residential', 'trunk', 'unclassified']);
    expect(byClass.trunk!.km).toBeCloseTo(km([95.7, 40.5], [95.85, 40.5]), 1);
    expect(byClass.trunk!.kmh).toBe(85);
    expect(byClass.residential!.km).toBeCloseTo(km([95.75, 40.5], [95.75, 40.52]), 1);
    expect(set.summary.km).toBeCloseTo(
      set.classes.reduce((s, c) => s + c.km, 0),
      1,
    );
  });

  it('keeps one-way streets one way: yes forward, -1 reversed, a motorway implied', async () => {
    const set = build((await read(fixture('small.osm'))).roads);
    const road = (cls: string) => set.roads.features.find((f) => f.properties.class === cls)!;
    expect(road('trunk').properties.oneway).toBe(false);
    expect(road('residential').properties.oneway).toBe(true);
    expect(road('residential').geometry.coordinates).toEqual([
      [95.75, 40.5],
      [95.75, 40.52],
    ]);
    // oneway=-1: drawn the way it is driven, from node 13 to node 5.
    expect(road('primary').properties).toMatchObject({ oneway: true, kmh: 30 });
    expect(road('primary').geometry.coordinates).toEqual([
      [95.75, 40.55],
      [95.75, 40.52],
    ]);
    expect(road('motorway').properties.oneway).toBe(true);
    expect(set.summary.oneWayKm).toBeGreaterThan(0);
  });

  it('routes with the one-way streets: the long way round against them', async () => {
    const set = build((await read(fixture('small.osm'))).roads);
    const router = new GraphRouter(set.network);
    const there = (await router.route([95.75, 40.5], [95.75, 40.52]))!;
    const back = (await router.route([95.75, 40.52], [95.75, 40.5]))!;
    expect(there.geometry).toContainEqual([95.75, 40.52]);
    // Against the one-way residential street the road is no way back: straight across, off-road, is slower.
    expect(back.etaSeconds).toBeGreaterThan(there.etaSeconds);
  });

  it('counts the connected pieces: the share of the largest and the islands with a point on each', async () => {
    const set = build((await read(fixture('small.osm'))).roads);
    expect(set.components.count).toBe(3);
    const mainKm = km([95.7, 40.5], [95.85, 40.5]) + km([95.75, 40.5], [95.75, 40.55]);
    expect(set.components.largestKm).toBeCloseTo(mainKm, 1);
    expect(set.components.largestShare).toBeCloseTo(mainKm / set.summary.km, 2);
    expect(set.components.islands.map((i) => i.rank)).toEqual([1, 2]);
    // The motorway stub (4.2 km) is longer than the unclassified island (0.85 km).
    expect(set.components.islands[0]!.at[1]).toBeCloseTo(40.4, 5);
    expect(set.components.islands[1]!.at[1]).toBeCloseTo(40.6, 5);
    // 78% of the length in the largest piece: under 90%, said before committing.
    expect(set.warnings.join()).toMatch(/路网不连通：最大的连通部分只占道路总长的 78%（共 3 个部分）/);
    const markers = set.preview.features.filter((f) => f.properties.kind === 'island');
    expect(markers).toHaveLength(2);
    const pieces = set.preview.features.flatMap((f) => (f.properties.kind === 'road' ? [f.properties.component] : []));
    expect(new Set(pieces)).toEqual(new Set([0, 1, 2]));
  });

  it('warns when the largest piece holds under 90% of the length', () => {
    const line = (a: number[], b: number[], highway = 'tertiary'): RawRoad => ({ feature: 1, tags: { highway }, lines: [[a, b]], geometry: 'line' });
    const set = build([line([95.6, 40.4], [95.61, 40.4]), line([95.8, 40.5], [95.81, 40.5])]);
    expect(set.components.largestShare).toBeCloseTo(0.5, 1);
    expect(set.warnings[0]).toMatch(/路网不连通/);
  });

  it('cuts roads at the area, one segment past its edge', () => {
    const line: [number, number][] = [
      [95.0, 40.5],
      [95.5, 40.5],
      [95.6, 40.5],
      [95.7, 40.5],
      [96.5, 40.5],
      [97.0, 40.5],
    ];
    expect(clipLine(line, AREA)).toEqual([line.slice(1, 5)]);
    expect(
      clipLine(
        [
          [90, 30],
          [91, 30],
        ],
        AREA,
      ),
    ).toEqual([]);
    // A long segment across the whole area is kept.
    expect(
      clipLine(
        [
          [95, 40.5],
          [97, 40.5],
        ],
        AREA,
      ),
    ).toHaveLength(1);
  });

  it('grows the county box by the margin in kilometres', () => {
    const [w, s, e, n] = grownBbox(
      [
        [95, 40],
        [96, 41],
      ],
      11.132,
    );
    expect(n - 41).toBeCloseTo(0.1, 4);
    expect(40 - s).toBeCloseTo(0.1, 4);
    expect(96 - e).toBeLessThan(-0.13);
    expect(w).toBeLessThan(95 - 0.13);
  });
});

describe('GeoJSON and Shapefile road files', () => {
  const fc = (features: unknown[]) => new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features }));

  it('reads class, oneway and maxspeed properties; MultiLineStrings become lines; points are not roads', async () => {
    const r = await read(
      fc([
        {
          type: 'Feature',
          properties: { class: 'national', name: 'G312' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [95.7, 40.5],
              [95.8, 40.5],
            ],
          },
        },
        {
          type: 'Feature',
          properties: { highway: 'secondary', oneway: 'true', maxspeed: '40 km/h' },
          geometry: {
            type: 'MultiLineString',
            coordinates: [
              [
                [95.8, 40.5],
                [95.8, 40.55],
              ],
              [
                [95.8, 40.55],
                [95.85, 40.55],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'LineString',
            coordinates: [
              [95.7, 40.5],
              [95.7, 40.45],
            ],
          },
        },
        { type: 'Feature', properties: { class: 'county' }, geometry: { type: 'Point', coordinates: [95.7, 40.5] } },
        {
          type: 'Feature',
          properties: { class: 'gravel' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [95.7, 40.45],
              [95.65, 40.45],
            ],
          },
        },
        { type: 'Feature', properties: { class: 'county' }, geometry: null },
      ]),
    );
    expect(r.format).toBe('geojson');
    const set = build(r.roads, false);
    expect(set.summary).toMatchObject({ read: 6, kept: 4, dropped: 2 });
    expect(set.dropped).toEqual([
      { reason: 'not-a-road', count: 1, examples: [4] },
      { reason: 'bad-geometry', count: 1, examples: [6] },
    ]);
    expect(set.roads.features).toHaveLength(5);
    expect(set.roads.features[0]!.properties).toEqual({ class: 'national', kmh: 80, oneway: false, name: 'G312' });
    expect(set.roads.features[1]!.properties).toMatchObject({ class: 'secondary', kmh: 40, oneway: true });
    // No class at all: a road at the default speed; a class the table does not know: the default speed, and a warning.
    expect(set.roads.features[3]!.properties).toMatchObject({ class: 'road', kmh: 25 });
    expect(set.roads.features[4]!.properties).toMatchObject({ class: 'gravel', kmh: 40 });
    expect(set.unknownClasses).toEqual([{ class: 'gravel', features: 1 }]);
    expect(set.warnings.join()).toMatch(/gravel/);
    expect(set.components.count).toBe(1);
  });

  it('converts GCJ-02 files to WGS-84', async () => {
    const wgs: [number, number][] = [
      [95.7, 40.5],
      [95.8, 40.5],
    ];
    const gcj = wgs.map((p) => gcoord.transform(p, gcoord.WGS84, gcoord.GCJ02) as [number, number]);
    const r = await read(fc([{ type: 'Feature', properties: { class: 'county' }, geometry: { type: 'LineString', coordinates: gcj } }]));
    const set = buildRoadSet({ roads: r.roads, osm: false, crs: 'gcj02', area: AREA, speeds: DEFAULT_ROAD_SPEEDS_KMH });
    const [a, b] = set.roads.features[0]!.geometry.coordinates;
    expect(a![0]).toBeCloseTo(95.7, 5);
    expect(b![1]).toBeCloseTo(40.5, 5);
  });

  // shp-write 0.4 writes every line of a collection as the parts of one record, and non-ASCII text
  // badly (the grid tests write their .dbf by hand): one road with a Latin name here.
  it('reads a zipped Shapefile of polylines (Geofabrik style: fclass, oneway F/T/B)', async () => {
    const roads: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { fclass: 'residential', oneway: 'T', name: 'Dongdajie' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [95.8, 40.5],
              [95.8, 40.52],
            ],
          },
        },
      ],
    };
    const zip = (await shpwrite.zip(roads, { outputType: 'uint8array', compression: 'DEFLATE', types: { line: 'roads' } })) as Uint8Array;
    const r = await read(zip);
    expect(r.format).toBe('shapefile');
    const set = build(r.roads, false);
    expect(set.roads.features.map((f) => f.properties)).toEqual([{ class: 'residential', kmh: 25, oneway: true, name: 'Dongdajie' }]);
    // T: against the line's direction, so it is stored reversed.
    expect(set.roads.features[0]!.geometry.coordinates[0]![1]).toBeCloseTo(40.52, 6);
  });
});
