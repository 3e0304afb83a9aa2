// The EDXL-HAVE 2.0 export read back with a DOM parser: its namespaces, one facility per
// hospital, bed counts as the live figures have them, negative-pressure isolation beds
// once and the categories summing to the hospital's beds, full and closed categories
// saying so, colours from the escalation threshold, and names escaped.
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { BED_TYPE_LIST, CT_NS, GML_NS, HAVE_NS, hospitalsHaveXml } from '../../server/exports/edxl-have.ts';
import type { Hospital, HospitalRole } from '../../server/schema/index.ts';
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
  service: string;
  colour: string | null;
  listUri: string | null;
  bedType: string | null;
  status: string | null;
  available: number;
  baseline: number;
}
/** Each facility by its id: its colour and its bed categories, read from the XML. */
function facilities(doc: Document) {
  return new Map(
    all(doc, HAVE_NS, 'facility').map((f) => {
      const categories: Category[] = all(f, HAVE_NS, 'serviceListItem').map((item) => {
        const type = one(item, HAVE_NS, 'bedType');
        return {
          service: text(item, HAVE_NS, 'serviceName')!,
          colour: text(one(item, HAVE_NS, 'colourCodeDefault'), CT_NS, 'Value'),
          listUri: text(type, CT_NS, 'ValueListURI'),
          bedType: text(type, CT_NS, 'Value'),
          status: text(item, HAVE_NS, 'capacityStatus'),
          available: Number(text(item, HAVE_NS, 'availableCount')),
          baseline: Number(text(item, HAVE_NS, 'baselineCount')),
        };
      });
      return [text(f, HAVE_NS, 'facilityID')!, { element: f, colour: text(one(f, HAVE_NS, 'colourCode'), CT_NS, 'Value'), categories }];
    }),
  );
}

describe('EDXL-HAVE 2.0 export', () => {
  it('is XML in the HAVE 2.0 namespaces, one facility per live hospital, counts as the store has them', async () => {
    const hospitals = (await sampleCounty()).seed.hospitals;
    expect(hospitals.length).toBeGreaterThan(2);
    const xml = hospitalsHaveXml(hospitals, clock);
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    expect(xml).toContain('2022-04-12T17:30:05+08:00');
    const doc = parse(xml);
    const root = doc.documentElement!;
    expect([root.namespaceURI, root.localName]).toEqual([HAVE_NS, 'HAVE']);
    expect(root.getAttribute('xmlns:edxl-ct')).toBe('urn:oasis:names:tc:emergency:edxl:ct:1.0');
    expect(root.getAttribute('xmlns:gml')).toBe('http://www.opengis.net/gml/3.2');
    expect(root.getAttribute('xmlns:edxl-gsf')).toBe('urn:oasis:names:tc:emergency:edxl:gsf:1.0');

    const byId = facilities(doc);
    expect([...byId.keys()].sort()).toEqual(hospitals.map((h) => h.id).sort());
    expect(all(doc, HAVE_NS, 'facility')).toHaveLength(hospitals.length);
    for (const h of hospitals) {
      const f = byId.get(h.id)!;
      expect(text(f.element, HAVE_NS, 'facilityName')).toBe(h.name);
      const geo = one(one(f.element, HAVE_NS, 'facilityGeoLocation'), CT_NS, 'EDXLGeoLocation');
      expect(text(one(geo, GML_NS, 'Point'), GML_NS, 'pos')).toBe(`${h.location[1]} ${h.location[0]}`); // lat lon
      const byType = Object.fromEntries(f.categories.map((c) => [c.bedType, c]));
      for (const [key, type] of [['treatment', 'MedicalSurgical'], ['icu', 'AdultICU'], ['isolation', 'NegativeFlowIsolation']] as const) {
        const beds = h.beds[key];
        if (beds.total === 0) {
          expect(byType[type], `${h.id} ${type}`).toBeUndefined();
          continue;
        }
        expect(byType[type], `${h.id} ${type}`).toMatchObject({ baseline: beds.total, available: h.open ? beds.total - beds.occupied : 0, listUri: BED_TYPE_LIST });
      }
    }
  });

  it('reports negative-pressure isolation beds once, and the categories sum to the hospital’s beds', () => {
    const h = hospital('HOSP-D', 'designated', [60, 15, 8, 2, 30, 8]);
    const [f] = facilities(parse(hospitalsHaveXml([h], clock))).values();
    const types = f!.categories.map((c) => c.bedType);
    expect(types.filter((t) => t === 'NegativeFlowIsolation')).toHaveLength(1);
    expect(types.filter((t) => /Isolation/.test(t!))).toEqual(['NegativeFlowIsolation']); // no OtherIsolation beside it
    expect(new Set(types).size).toBe(types.length);
    const sum = (k: 'baseline' | 'available') => f!.categories.reduce((s, c) => s + c[k], 0);
    expect(sum('baseline')).toBe(98); // 60 + 8 + 30, each bed once
    expect(sum('baseline')).toBe(h.maxCapacity);
    expect(sum('available')).toBe(45 + 6 + 22);
    expect(f!.categories.find((c) => c.bedType === 'NegativeFlowIsolation')).toMatchObject({ baseline: 30, available: 22, status: 'VacantAvailable' });
  });

  it('says a full category is full, a closed hospital has nothing free, and colours by the threshold', () => {
    const full = hospital('A-FULL', 'designated', [40, 10, 4, 1, 10, 10]); // isolation full; 21/54 occupied overall
    const busy = hospital('B-BUSY', 'reserve', [20, 12, 0, 0, 0, 0]); // 60 % occupied: at the 50 % threshold
    const calm = hospital('C-CALM', 'reserve', [20, 2, 2, 0, 4, 0]);
    const closed = hospital('D-SHUT', 'makeshift', [300, 0, 0, 0, 0, 0], false);
    const byId = facilities(parse(hospitalsHaveXml([closed, calm, busy, full], clock)));
    expect([...byId.keys()]).toEqual(['A-FULL', 'B-BUSY', 'C-CALM', 'D-SHUT']); // escalation order

    const np = byId.get('A-FULL')!.categories.find((c) => c.bedType === 'NegativeFlowIsolation')!;
    expect(np).toMatchObject({ status: 'NotAvailable', available: 0, baseline: 10, colour: 'red' });
    expect(byId.get('A-FULL')!.categories.find((c) => c.bedType === 'MedicalSurgical')).toMatchObject({ status: 'VacantAvailable', available: 30, colour: 'green' });
    expect(byId.get('A-FULL')!.colour).toBe('yellow'); // a category full

    expect(byId.get('B-BUSY')!.colour).toBe('yellow');
    expect(byId.get('B-BUSY')!.categories[0]).toMatchObject({ colour: 'yellow', status: 'VacantAvailable', available: 8 });
    expect(byId.get('C-CALM')!.colour).toBe('green');
    expect(byId.get('C-CALM')!.categories.map((c) => c.colour)).toEqual(['green', 'green', 'green']);

    expect(byId.get('D-SHUT')!.colour).toBe('red');
    expect(byId.get('D-SHUT')!.categories).toEqual([expect.objectContaining({ bedType: 'MedicalSurgical', status: 'NotAvailable', available: 0, baseline: 300, colour: 'red' })]);
    // A higher threshold (configuration) leaves the 60 % hospital green.
    expect(facilities(parse(hospitalsHaveXml([busy], clock, 0.7))).get('B-BUSY')!.colour).toBe('green');
  });

  it('escapes names and drops characters XML cannot hold', () => {
    const name = `瓜州 "A&B" <医院> 'C' &amp; \u0001end`;
    const doc = parse(hospitalsHaveXml([hospital('X:1', 'fever-clinic', [6, 1, 0, 0, 3, 0], true, name)], clock));
    expect(text(doc, HAVE_NS, 'facilityName')).toBe(`瓜州 "A&B" <医院> 'C' &amp; end`);
    expect(one(doc, GML_NS, 'Point').getAttributeNS(GML_NS, 'id')).toBe('pos-X_1');
    expect(text(doc, HAVE_NS, 'lastUpdateTime')).toBe('2022-04-12T17:29:05+08:00');
  });
});
