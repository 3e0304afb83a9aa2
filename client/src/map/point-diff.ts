// Keeps a GeoJSON point source in step with a live collection by sending MapLibre only
// what changed (GeoJSONSource.updateData): one vehicle that moved costs one feature's
// worth of work, not a re-parse of all of them. Pure: it computes the message; the
// layer sends it. The first push, or one where most features changed, is a plain
// setData, which is then the cheaper path.
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { GeoJSONSourceDiff } from 'maplibre-gl';

export type Props = Record<string, string | number | boolean>;
export type LngLatPair = [number, number];

/** How one layer family turns its entities into points. */
export interface PointSpec<T> {
  /** Where to draw it (WGS-84), or null to leave it off the map. */
  place(item: T): LngLatPair | null;
  /** Only what the styles filter or colour on; popups look the entity up by id. */
  props(item: T): Props;
}

export type PointUpdate = { kind: 'full'; data: FeatureCollection<Point> } | { kind: 'diff'; diff: GeoJSONSourceDiff; changed: number } | { kind: 'none' };

interface Shown {
  lng: number;
  lat: number;
  props: Props;
}

function sameProps(a: Props, b: Props): boolean {
  let n = 0;
  for (const key in a) {
    if (a[key] !== b[key]) return false;
    n++;
  }
  return n === Object.keys(b).length;
}

export class PointDiffer<T> {
  private shown: Map<string, Shown> | null = null;

  constructor(
    private readonly spec: PointSpec<T>,
    /** WGS-84 → the basemap's coordinates (identity, or GCJ-02 for Amap). */
    private readonly project: (at: LngLatPair) => LngLatPair = (at) => at,
    /** Above this share of changed features a full setData is sent instead. */
    private readonly fullAbove = 0.5,
    /** Forces every push to be a full setData (to measure the difference). */
    private readonly alwaysFull = false,
  ) {}

  /** Forget what was sent (the source was replaced): the next push is full. */
  reset(): void {
    this.shown = null;
  }

  next(items: Record<string, T>): PointUpdate {
    const now = new Map<string, Shown>();
    for (const [id, item] of Object.entries(items)) {
      const at = this.spec.place(item);
      if (!at) continue;
      const [lng, lat] = this.project(at);
      now.set(id, { lng, lat, props: this.spec.props(item) });
    }
    const before = this.shown;
    this.shown = now;
    if (!before || this.alwaysFull) return { kind: 'full', data: toCollection(now) };

    const add: Feature<Point>[] = [];
    const update: NonNullable<GeoJSONSourceDiff['update']> = [];
    const remove: string[] = [];
    for (const [id, s] of now) {
      const was = before.get(id);
      if (!was) {
        add.push(toFeature(id, s));
        continue;
      }
      const moved = was.lng !== s.lng || was.lat !== s.lat;
      const restyled = !sameProps(was.props, s.props);
      if (!moved && !restyled) continue;
      update.push({
        id,
        ...(moved ? { newGeometry: { type: 'Point', coordinates: [s.lng, s.lat] } } : {}),
        ...(restyled ? { removeAllProperties: true, addOrUpdateProperties: Object.entries({ ...s.props, id }).map(([key, value]) => ({ key, value })) } : {}),
      });
    }
    for (const id of before.keys()) if (!now.has(id)) remove.push(id);
    const changed = add.length + update.length + remove.length;
    if (changed === 0) return { kind: 'none' };
    if (changed > Math.max(1, now.size) * this.fullAbove) return { kind: 'full', data: toCollection(now) };
    const diff: GeoJSONSourceDiff = {};
    if (remove.length) diff.remove = remove;
    if (add.length) diff.add = add;
    if (update.length) diff.update = update;
    return { kind: 'diff', diff, changed };
  }
}

function toFeature(id: string, s: Shown): Feature<Point> {
  // The id is both the feature id (for updateData) and a property (for popups and filters).
  return { type: 'Feature', id, geometry: { type: 'Point', coordinates: [s.lng, s.lat] }, properties: { ...s.props, id } };
}

function toCollection(shown: Map<string, Shown>): FeatureCollection<Point> {
  const features: Feature<Point>[] = [];
  for (const [id, s] of shown) features.push(toFeature(id, s));
  return { type: 'FeatureCollection', features };
}
