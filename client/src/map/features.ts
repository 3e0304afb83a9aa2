// Live collections → GeoJSON for the map. Only what the styles filter on travels as
// properties; popups look the full entity up by id.
import type { FeatureCollection, Point } from 'geojson';
import type { Ambulance, Hospital, IsolationHotel, SamplingPoint } from '../../../server/schema/index.ts';
import { queueLevel } from '../lib/queue-level.ts';

export type PointCollection = FeatureCollection<Point>;

function collection<T>(
  items: Record<string, T>,
  place: (item: T) => [number, number] | null,
  props: (item: T) => Record<string, string | number | boolean>,
): PointCollection {
  const features: PointCollection['features'] = [];
  for (const item of Object.values(items)) {
    const at = place(item);
    if (!at) continue;
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: props(item) });
  }
  return { type: 'FeatureCollection', features };
}

export const emptyPoints = (): PointCollection => ({ type: 'FeatureCollection', features: [] });

export const samplingPointFeatures = (items: Record<string, SamplingPoint>) =>
  collection(items, (p) => p.location, (p) => ({ id: p.id, level: queueLevel(p), queue: p.queue }));

export const hotelFeatures = (items: Record<string, IsolationHotel>) =>
  collection(items, (h) => h.location, (h) => ({ id: h.id, people: h.people }));

export const hospitalFeatures = (items: Record<string, Hospital>) =>
  collection(items, (h) => h.location, (h) => ({ id: h.id, role: h.role, open: h.open }));

export const ambulanceFeatures = (items: Record<string, Ambulance>) =>
  collection(
    items,
    (a) => (a.fix ? [a.fix.lng, a.fix.lat] : null),
    (a) => ({ id: a.id, kind: a.kind, status: a.status, callSign: a.callSign }),
  );
