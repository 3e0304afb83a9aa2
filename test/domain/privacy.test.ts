// The allow-lists of server/domain/privacy.ts: every field of every entity is classified
// for every redacted view (a field the schema gains fails here until someone decides who
// may see it), what a view makes still matches the schema, and no personal data survives.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ALLOWED, VIEW_OF_ROLE, sends, viewEntity, viewGridProps, type Fields, type View, type ViewContext } from '../../server/domain/privacy.ts';
import { collectionNames, collectionSchemas, GridProps, Role, type CollectionName, type EntityOf } from '../../server/schema/index.ts';
import { ambulance, samplingPoint, transfer } from '../helpers/fixtures.ts';

type Schema = z.ZodType & { def: { type: string; innerType?: Schema; element?: Schema; shape?: Record<string, Schema> } };

/** The object inside optional / nullable / array wrappers, or null when there is none. */
function objectIn(schema: Schema): Schema | null {
  const def = schema.def;
  if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') return objectIn(def.innerType!);
  if (def.type === 'array') return objectIn(def.element!);
  return def.type === 'object' ? schema : null;
}

/** Every way an allow-list and its schema disagree, as `path: problem`. */
function disagreements(schema: Schema, allowed: Fields, path: string): string[] {
  const shape = schema.def.shape!;
  const out: string[] = [];
  for (const key of Object.keys(shape)) if (!Object.hasOwn(allowed, key)) out.push(`${path}.${key}: in the schema, not classified`);
  for (const [key, rule] of Object.entries(allowed)) {
    const field = shape[key];
    if (!field) {
      out.push(`${path}.${key}: classified, not in the schema`);
      continue;
    }
    if (rule.kind === 'drop' && !field.safeParse(undefined).success) out.push(`${path}.${key}: dropped but required`);
    if (rule.kind === 'fields') {
      const inner = objectIn(field);
      if (!inner) out.push(`${path}.${key}: an allow-list for a field that holds no object`);
      else out.push(...disagreements(inner, rule.fields, `${path}.${key}`));
    }
  }
  return out;
}

const REDACTED = Object.keys(ALLOWED) as Exclude<View, 'full'>[];

describe('every field is classified for every redacted view', () => {
  for (const view of REDACTED) {
    it(`${view}: each collection's allow-list names exactly its schema's fields`, () => {
      const problems: string[] = [];
      for (const name of collectionNames) {
        const allowed = ALLOWED[view][name];
        if (allowed) problems.push(...disagreements(collectionSchemas[name] as unknown as Schema, allowed, `${view}.${name}`));
      }
      problems.push(...disagreements(GridProps as unknown as Schema, ALLOWED[view].grids, `${view}.grids`));
      expect(problems).toEqual([]);
    });
  }

  it('a field the schema gains is reported (the check itself can fail)', () => {
    const grown = (collectionSchemas.alerts as unknown as z.ZodObject).extend({ operatorPhone: GridProps.shape.lead as z.ZodString });
    expect(disagreements(grown as unknown as Schema, ALLOWED.public.alerts!, 'alerts')).toEqual(['alerts.operatorPhone: in the schema, not classified']);
  });

  it('every role has a view; only commanders, dispatchers and admins see everything', () => {
    expect(Object.keys(VIEW_OF_ROLE).sort()).toEqual([...Role.options].sort());
    expect(Role.options.filter((r) => VIEW_OF_ROLE[r] === 'full').sort()).toEqual(['admin', 'commander', 'dispatcher']);
  });

  it('a vehicle keeps its position in every view that gets vehicles (moves go out as they are)', () => {
    for (const view of REDACTED) {
      const spec = ALLOWED[view].ambulances;
      if (!spec) continue;
      for (const key of ['id', 'fix', 'gridId', 'updatedAt']) expect(spec[key]?.kind, `${view}.ambulances.${key}`).toBe('keep');
    }
  });
});

// Markers: personal data, free text and usernames that no redacted view may carry.
const M = {
  patient: '患者标记甲',
  address: '地址标记乙',
  note: '备注标记丙',
  reason: '理由标记丁',
  crew: '乘员标记戊',
  staff: '人员标记己',
  user: 'user-marker-x',
  lead: '网格长标记庚',
};
const DOOR: [number, number] = [95.7812345, 40.5212345];
const GRID_POINT: [number, number] = [95.7, 40.5];
const ctx: ViewContext = { gridPoint: (id) => (id === 'G-1' ? GRID_POINT : undefined) };

function entities(): { [C in CollectionName]: EntityOf<C>[] } {
  const now = 1_700_000_000_000;
  return {
    gridStatus: [{ id: 'G-1', risk: 'high', updatedAt: now }],
    samplingPoints: [samplingPoint('SP-1', { stockLow: true })],
    hotels: [
      {
        id: 'H-1',
        name: '隔离点',
        location: [95.7, 40.5],
        gridId: 'G-1',
        updatedAt: now,
        rooms: { total: 10, occupied: 2, cleaning: 1 },
        people: 2,
        checkInsToday: 1,
        checkOutsToday: 0,
        staff: { doctors: 1, nurses: 2 },
      },
    ],
    hospitals: [
      {
        id: 'HOSP-1',
        name: '医院',
        location: [95.7, 40.5],
        gridId: null,
        updatedAt: now,
        role: 'designated',
        open: true,
        beds: { treatment: { total: 5, occupied: 1 }, icu: { total: 1, occupied: 0 }, isolation: { total: 2, occupied: 1 } },
        maxCapacity: 8,
      },
    ],
    ambulances: [ambulance('A-1', 95.7, 40.5, { crew: [M.crew] })],
    transfers: [
      transfer('T-1', now, {
        patient: M.patient,
        pickup: { location: DOOR, gridId: 'G-1', townName: '渊泉镇', address: M.address },
        handover: { sendingSide: M.staff, crew: [M.crew], receivingHospitalId: 'HOSP-1', receivedBy: M.staff },
        steps: [{ from: null, to: 'on-scene', at: now, by: M.user, fix: DOOR, note: M.note }],
        createdBy: M.user,
      }),
      transfer('T-2', now, { pickup: { location: DOOR, gridId: null, townName: null, address: M.address }, patient: M.patient }),
    ],
    alerts: [
      {
        id: 'AL-1',
        kind: 'queue-crowded',
        severity: 'warning',
        message: '排队',
        subject: { collection: 'samplingPoints', id: 'SP-1' },
        gridId: 'G-1',
        town: '渊泉镇',
        status: 'resolved',
        raisedAt: now,
        updatedAt: now,
        rule: 'r',
        figures: { queue: 3 },
        acknowledged: { by: M.user, at: now },
        resolved: { by: M.user, at: now, reason: M.reason },
        conditionCleared: false,
      },
      {
        id: 'AL-2',
        kind: 'fix-stale',
        severity: 'info',
        message: 'x',
        subject: null,
        status: 'resolved',
        raisedAt: now,
        updatedAt: now,
        resolved: { by: 'auto', at: now, reason: '条件已解除' },
      },
    ],
    sampleBatches: [
      { id: 'B-1', samplingPointId: 'SP-1', source: '采样点', gridId: 'G-1', category: 'voluntary', samples: 10, collectedAt: now, resultedAt: null, updatedAt: now },
    ],
    testingRounds: [
      {
        id: 'R-1',
        number: 1,
        name: '第1轮',
        scope: 'county',
        towns: [],
        gridIds: ['G-1'],
        population: 100,
        startedAt: now,
        deadlineDays: 5,
        startedBy: M.user,
        status: 'ended',
        endedAt: now,
        endedBy: M.user,
        updatedAt: now,
      },
    ],
    roundGrids: [{ id: 'R-1.G-1', roundId: 'R-1', gridId: 'G-1', townName: '渊泉镇', population: 100, sampled: 5, updatedAt: now }],
    moveTasks: [
      {
        id: 'MV-A-1',
        kind: 'move',
        ambulanceId: 'A-1',
        callSign: '负压01',
        pointId: 'SB-1',
        pointName: '卫生院',
        location: [95.7, 40.5],
        status: 'en-route',
        coverageBefore: 0.6,
        coverageAfter: 0.9,
        targetMinutes: 30,
        createdBy: M.user,
        createdAt: now,
        endedAt: null,
        updatedAt: now,
      },
    ],
  };
}

describe('what each view makes', () => {
  const all = entities();
  it('the fixtures are valid entities, and carry every marker (so the checks below can fail)', () => {
    const text = JSON.stringify(all);
    for (const name of collectionNames) for (const e of all[name]) collectionSchemas[name].parse(e);
    for (const marker of [M.patient, M.address, M.note, M.reason, M.crew, M.staff, M.user, String(DOOR[0])]) expect(text).toContain(marker);
  });

  for (const view of REDACTED) {
    it(`${view}: entities still match their schema, with no marker left`, () => {
      const seen: string[] = [];
      for (const name of collectionNames) {
        if (!sends(view, name)) continue;
        for (const e of all[name]) {
          const out = viewEntity(view, name, e as never, ctx);
          expect(collectionSchemas[name].safeParse(out).error, `${view}.${name}`).toBeUndefined();
          seen.push(JSON.stringify(out));
        }
      }
      const text = seen.join('\n');
      for (const marker of [M.patient, M.address, M.note, M.reason, M.crew, M.staff, M.user, String(DOOR[0]), String(DOOR[1])]) expect(text, marker).not.toContain(marker);
    });
  }

  it('the wall gets a pickup at grid level (a point inside its grid; outside the county, to 0.1°), the status and the grid', () => {
    const [inGrid, outside] = all.transfers.map((t) => viewEntity('public', 'transfers', t, ctx));
    expect(inGrid!.pickup).toEqual({ location: GRID_POINT, gridId: 'G-1', townName: '渊泉镇', address: '' });
    expect(outside!.pickup.location).toEqual([95.8, 40.5]);
    expect(inGrid!.status).toBe('created');
    expect(inGrid!.steps).toEqual([{ from: null, to: 'on-scene', at: all.transfers[0]!.steps[0]!.at, by: '', fix: null }]);
  });

  it('field tablets get no transfers; alerts keep the board\'s own "auto" and lose the rest', () => {
    expect(sends('field', 'transfers')).toBe(false);
    expect(sends('public', 'transfers')).toBe(true);
    const auto = viewEntity('field', 'alerts', all.alerts[1]!, ctx);
    expect(auto.resolved).toEqual({ by: 'auto', at: all.alerts[1]!.resolved!.at, reason: '' });
    const byHand = viewEntity('field', 'alerts', all.alerts[0]!, ctx);
    expect(byHand.resolved!.by).toBe('');
    expect(byHand.acknowledged!.by).toBe('');
  });

  it('the full view is the entity itself', () => {
    expect(viewEntity('full', 'transfers', all.transfers[0]!, ctx)).toBe(all.transfers[0]);
  });

  it("grid leads' names: not on the wall (nor in exports), kept for field tablets", () => {
    const props = { id: 'G-1', name: '网格', villageCode: '1', villageName: '村', townCode: '2', townName: '镇', population: 5, lead: M.lead };
    expect(viewGridProps('public', props).lead).toBe('');
    expect(viewGridProps('field', props).lead).toBe(M.lead);
    expect(viewGridProps('full', props)).toBe(props);
    GridProps.parse(viewGridProps('public', props));
  });
});
