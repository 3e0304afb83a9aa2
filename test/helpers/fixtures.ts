// Small valid entities for tests that do not need the whole sample county.
import type { Ambulance, IsolationHotel, SamplingPoint, TransferTask } from '../../server/schema/index.ts';

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

export function hotel(id: string, patch: Partial<IsolationHotel> = {}): IsolationHotel {
  return {
    id,
    name: `隔离酒店 ${id}`,
    location: [95.78, 40.52],
    gridId: null,
    updatedAt: 0,
    rooms: { total: 100, occupied: 40, cleaning: 5 },
    people: 40,
    checkInsToday: 0,
    checkOutsToday: 0,
    staff: { doctors: 2, nurses: 6 },
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

/** A rule-1 transfer with a patient's name and address (personal data). */
export function transfer(id: string, createdAt: number, patch: Partial<TransferTask> = {}): TransferTask {
  return {
    id,
    ambulanceId: null,
    status: 'created',
    call: { symptoms: true, history: { travel: true, residence: false, contact: false, exposure: false }, condition: 'stable', facilityTransfer: false },
    rule: 1,
    crew: 'negative-pressure',
    highRisk: true,
    pickup: { location: [95.78, 40.52], gridId: null, townName: '渊泉镇', address: '渊泉镇某小区' },
    patient: '张三',
    destinationId: null,
    crossDistrict: false,
    handover: null,
    decontamination: null,
    steps: [],
    createdBy: 'dispatcher',
    createdAt,
    updatedAt: createdAt,
    ...patch,
  };
}
