// The EDXL-HAVE 1.0 export: it validates against the OASIS schema (xmllint), and read
// back with a DOM parser it has one Hospital per hospital, bed counts as the live figures
// have them, negative-pressure isolation beds once and the categories summing to the
// hospital's beds, full and closed hospitals saying so in the schema's words, the
// escalation threshold noted, and names escaped.
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { GML_NS, HAVE_NS, hospitalsHaveXml, XNL_NS, XPIL_NS } from '../../server/exports/edxl-have.ts';
import type { Hospital, HospitalRole } from '../../server/schema/index.ts';
import { validateHave } from '../../scripts/check-have.ts';
import { sampleCounty } from '../helpers/server.ts';

const NOW = Date.UTC(2022, 3, 12, 9, 30, 5); // 17:30:05 in China
const clock = () => NOW;

function hospital(id: string, role: HospitalRole, beds: [number, number, number, number, number, number], open = true, name = id): Hospital {
  const [tt, to, it, io, st, so] = beds;
  return {
    id,
    name,
    role,
    open,
    location: [95.78, 40.52],
    gridId: null,
    updatedAt: NOW - 60_000,
    maxCapacity: tt + it + st,
    beds: { treatment: { total: tt, occupied: to }, icu: { total: it, occupied: io }, isolation: { total: st, occupied: so } },
  };
}

function parse(xml: string): Document {
  return new DOMParser({
    onError: (level, message) => {
      throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(xml, 'text/xml');
}
const all = (node: Document | Element, ns: string, name: string) => Array.from(node.getElementsByTagNameNS(ns, name));
const one = (node: Document | Element, ns: string, name: string): Element => {
  const found = all(node, ns, name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};
const text = (node: Document | Element, ns: string, name: string) => one(node, ns, name).textContent;

interface Category {
  bedType: string | null;
  status: string | null;
  available: number;
  baseline: number;
  comment: string | null;
}
/** Each hospital by its id: its element, facility status and bed categories, read from the XML. */
function hospitals(doc: Document) {
  return new Map(
    all(doc, HAVE_NS, 'Hospital').map((h) => {
      const categories: Category[] = all(h, HAVE_NS, 'BedCapacity').map((b) => ({
        bedType: text(b, HAVE_NS, 'BedType'),
        status: text(b, HAVE_NS, 'CapacityStatus'),
        available: Number(text(b, HAVE_NS, 'AvailableCount')),
        baseline: Number(text(b, HAVE_NS, 'BaselineCount')),
        comment: all(b, HAVE_NS, 'CommentText')[0]?.textContent ?? null,
      }));
      return [text(h, XPIL_NS, 'IdentifierElement')!, { element: h, clinical: text(h, HAVE_NS, 'ClinicalStatus'), facility: text(h, HAVE_NS, 'FacilityStatus'), categories }];
    }),
  );
}

const expectValid = (xml: string) => {
  const result = validateHave(xml);
  expect(result.messages).toMatch(/validates$/);
  expect(result.valid).toBe(true);
};

describe('EDXL-HAVE 1.0 export', () => {
  it('validates against the OASIS EDXL-HAVE 1.0 schema, and the schema check refuses what it should', async () => {
    const { seed } = await sampleCounty();
    expectValid(hospitalsHaveXml(seed.hospitals, clock));
    expectValid(
      hospitalsHaveXml(
        [
          hospital('A-FULL', 'designated', [4, 4, 0, 0, 2, 2]),
          hospital('D-SHUT', 'makeshift', [300, 0, 0, 0, 0, 0], false),
          hospital('E-NONE', 'fever-clinic', [0, 0, 0, 0, 0, 0]),
        ],
        clock,
      ),
    );
    // The check is real: 2.0-draft spelling of the status, or a missing LastUpdateTime, fails.
    const xml = hospitalsHaveXml(seed.hospitals, clock);
    expect(validateHave(xml.replace('Vacant/Available', 'VacantAvailable')).valid).toBe(false);
    expect(validateHave(xml.replace(/<have:LastUpdateTime>[^<]*<\/have:LastUpdateTime>/, '')).valid).toBe(false);
  });

  it('is a HospitalStatus in the HAVE 1.0 namespace, one Hospital per live hospital, counts as the store has them', async () => {
    const list = (await sampleCounty()).seed.hospitals;
    expect(list.length).toBeGreaterThan(2);
    const xml = hospitalsHaveXml(list, clock);
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    expect(xml).toContain('2022-04-12T17:30:05+08:00');
    const doc = parse(xml);
    const root = doc.documentElement!;
    expect([root.namespaceURI, root.localName]).toEqual([HAVE_NS, 'HospitalStatus']);
    expect(HAVE_NS).toBe('urn:oasis:names:tc:emergency:EDXL:HAVE:1.0');

    const byId = hospitals(doc);
    expect([...byId.keys()].sort()).toEqual(list.map((h) => h.id).sort());
    expect(all(doc, HAVE_NS, 'Hospital')).toHaveLength(list.length);
    for (const h of list) {
      const f = byId.get(h.id)!;
      expect(text(one(f.element, XNL_NS, 'OrganisationName'), XNL_NS, 'NameElement')).toBe(h.name);
      const geo = one(f.element, HAVE_NS, 'OrganizationGeoLocation');
      expect(text(one(geo, GML_NS, 'Point'), GML_NS, 'pos')).toBe(`${h.location[1]} ${h.location[0]}`); // lat lon
      const byType = Object.fromEntries(f.categories.map((c) => [c.bedType, c]));
      for (const [key, type] of [
        ['treatment', 'MedicalSurgical'],
        ['icu', 'AdultICU'],
        ['isolation', 'NegativeFlowIsolation'],
      ] as const) {
        const beds = h.beds[key];
        if (beds.total === 0) {
          expect(byType[type], `${h.id} ${type}`).toBeUndefined();
          continue;
        }
        expect(byType[type], `${h.id} ${type}`).toMatchObject({ baseline: beds.total, available: h.open ? beds.total - beds.occupied : 0 });
      }
      expect(f.facility).toBe(h.open ? 'Normal' : 'Closed');
    }
  });

  it('reports negative-pressure isolation beds once, and the categories sum to the hospital’s beds', () => {
    const h = hospital('HOSP-D', 'designated', [60, 15, 8, 2, 30, 8]);
    const [f] = hospitals(parse(hospitalsHaveXml([h], clock))).values();
    const types = f!.categories.map((c) => c.bedType);
    expect(types.filter((t) => t === 'NegativeFlowIsolation')).toHaveLength(1);
    expect(types.filter((t) => /Isolation/.test(t!))).toEqual(['NegativeFlowIsolation']); // no OtherIsolation beside it
    expect(new Set(types).size).toBe(types.length);
    const sum = (k: 'baseline' | 'available') => f!.categories.reduce((s, c) => s + c[k], 0);
    expect(sum('baseline')).toBe(98); // 60 + 8 + 30, each bed once
    expect(sum('baseline')).toBe(h.maxCapacity);
    expect(sum('available')).toBe(45 + 6 + 22);
    expect(f!.categories.find((c) => c.bedType === 'NegativeFlowIsolation')).toMatchObject({ baseline: 30, available: 22, status: 'Vacant/Available' });
  });

  it('says a full category is NotAvailable, a closed hospital is Closed and Full with nothing free, and notes the escalation threshold', () => {
    const full = hospital('A-FULL', 'designated', [40, 10, 4, 1, 10, 10]); // isolation full
    const busy = hospital('B-BUSY', 'reserve', [20, 12, 0, 0, 0, 0]); // 60 % occupied: at the 50 % threshold
    const calm = hospital('C-CALM', 'reserve', [20, 2, 2, 0, 4, 0]);
    const closed = hospital('D-SHUT', 'makeshift', [300, 0, 0, 0, 0, 0], false);
    const byId = hospitals(parse(hospitalsHaveXml([closed, calm, busy, full], clock)));
    expect([...byId.keys()]).toEqual(['A-FULL', 'B-BUSY', 'C-CALM', 'D-SHUT']); // escalation order

    expect(byId.get('A-FULL')!.categories.find((c) => c.bedType === 'NegativeFlowIsolation')).toMatchObject({ status: 'NotAvailable', available: 0, baseline: 10 });
    expect(byId.get('A-FULL')!.categories.find((c) => c.bedType === 'MedicalSurgical')).toMatchObject({ status: 'Vacant/Available', available: 30, comment: null });
    expect(byId.get('A-FULL')!.clinical).toBe('Normal'); // beds free in other categories

    expect(byId.get('B-BUSY')!.categories[0]).toMatchObject({ status: 'Vacant/Available', available: 8, comment: '已达扩容阈值 (escalation threshold reached)' });
    expect(byId.get('C-CALM')!.categories.map((c) => c.comment)).toEqual([null, null, null]);

    expect(byId.get('D-SHUT')).toMatchObject({ clinical: 'Full', facility: 'Closed' });
    expect(byId.get('D-SHUT')!.categories).toEqual([expect.objectContaining({ bedType: 'MedicalSurgical', status: 'NotAvailable', available: 0, baseline: 300 })]);
    // A higher threshold (configuration) leaves the 60 % hospital without the note.
    expect(hospitals(parse(hospitalsHaveXml([busy], clock, 0.7))).get('B-BUSY')!.categories[0]!.comment).toBeNull();
  });

  it('escapes names, drops characters XML cannot hold, and always gives a LastUpdateTime', () => {
    const name = `瓜州 "A&B" <医院> 'C' &amp; \u0001end`;
    const xml = hospitalsHaveXml([hospital('X:1', 'fever-clinic', [6, 1, 0, 0, 3, 0], true, name)], clock);
    const doc = parse(xml);
    expect(text(doc, XNL_NS, 'NameElement')).toBe(`瓜州 "A&B" <医院> 'C' &amp; end`);
    expect(text(doc, XPIL_NS, 'IdentifierElement')).toBe('X:1');
    expect(text(doc, HAVE_NS, 'LastUpdateTime')).toBe('2022-04-12T17:29:05+08:00');
    expectValid(xml);
    const never = { ...hospital('Y', 'reserve', [6, 1, 0, 0, 0, 0]), updatedAt: 0 };
    expect(text(parse(hospitalsHaveXml([never], clock)), HAVE_NS, 'LastUpdateTime')).toBe('2022-04-12T17:30:05+08:00');
  });
});
