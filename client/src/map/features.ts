// Live collections → map points. Only what the styles filter on travels as properties;
// popups look the full entity up by id.
import type { FeatureCollection, Point } from 'geojson';
import type { Ambulance, Hospital, IsolationHotel, SamplingPoint } from '../../../server/schema/index.ts';
import { queueLevel } from '../lib/queue-level.ts';
import type { PointSpec } from './point-diff.ts';

export type PointCollection = FeatureCollection<Point>;

export const emptyPoints = (): PointCollection => ({ type: 'FeatureCollection', features: [] });

export const samplingPointSpec: PointSpec<SamplingPoint> = {
  place: (p) => p.location,
  props: (p) => ({ level: queueLevel(p), queue: p.queue }),
};

export const hotelSpec: PointSpec<IsolationHotel> = {
  place: (h) => h.location,
  props: (h) => ({ people: h.people }),
};

export const hospitalSpec: PointSpec<Hospital> = {
  place: (h) => h.location,
  props: (h) => ({ role: h.role, open: h.open }),
};

export const ambulanceSpec: PointSpec<Ambulance> = {
  place: (a) => (a.fix ? [a.fix.lng, a.fix.lat] : null),
  props: (a) => ({ kind: a.kind, status: a.status, callSign: a.callSign }),
};
