// Small valid entities for tests that do not need the whole sample county.
import type { Ambulance, SamplingPoint } from '../../server/schema/index.ts';

export function samplingPoint(id: string, patch: Partial<SamplingPoint> = {}): SamplingPoint {
  return {
    id,
    name: `采样点 ${id}`,
    location: [95.78, 40.52],
    gridId: null,
    updatedAt: 0,
    kind: 'convenience',
    serves: 'all',
    hours: null,
    status: 'open',
    queue: 10,
    desks: 2,
    deskThroughput: 150,
    samplesToday: 0,
    stock: { swabs: 500, tubes: 50 },
    ...patch,
  };
}

export function ambulance(id: string, lng: number, lat: number, patch: Partial<Ambulance> = {}): Ambulance {
  return {
    id,
    callSign: `瓜州120-${id}`,
    kind: 'ordinary',
    status: 'available',
    station: '瓜州县人民医院',
    crew: ['张医生'],
    fix: { lng, lat, at: 0, speed: 0, heading: 0 },
    gridId: null,
    taskId: null,
    updatedAt: 0,
    ...patch,
  };
}
