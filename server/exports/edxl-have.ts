// The hospitals' bed availability as an OASIS EDXL-HAVE 2.0 document, for other
// agencies' hospital-availability systems. Pure: hospitals and a clock in, XML out.
//
// Sources followed (no copy of the 2.0 XSD was at hand; read with the project's search
// tools, ids are read_file ids):
// - HAVE 2.0, from two XSL stylesheets that consume real 2.0 documents (ids 39799105143,
//   40318856163): the namespaces below and prefixes have / edxl-ct / edxl-gsf / gml;
//   have:HAVE > have:facility; have:facilityInformation > have:facilityID,
//   have:facilityName, have:facilityGeoLocation > edxl-ct:EDXLGeoLocation > gml:Point >
//   gml:pos ("lat lon"); have:facilityColourStatus > have:colourCode > edxl-ct:Value;
//   have:serviceList > have:serviceListItem > have:serviceName and have:serviceStatus >
//   have:colourStatus > have:colourCodeDefault > edxl-ct:Value. The colour values are
//   lower-case names (the KML stylesheet builds icon names "hospital.red/green/yellow"
//   from them).
// - EDXL common types 1.0 value lists, from EDXL-DE 2.0 code in the same namespace
//   (ids 9021275466, 48011133227): edxl-ct:ValueListURI then edxl-ct:Value.
// - EDXL date-times (id 63189949811, checked there against the published SitRep XSD):
//   seconds, no fraction, an explicit offset; so China time, +08:00.
// Where we chose (the 2.0 bed-capacity part could not be found):
// - Bed capacity uses HAVE 1.0's structure (Sahana Eden's HAVE 1.0 export, ids
//   16402203820, 1230917689; 1.0 code lists, id 3974162159): BedCapacity > BedType,
//   Capacity > CapacityStatus (VacantAvailable | NotAvailable), AvailableCount,
//   BaselineCount; bed types MedicalSurgical, AdultICU, NegativeFlowIsolation… We write
//   it in the 2.0 style (lowerCamelCase, have: namespace) inside each bed category's
//   have:serviceStatus, one serviceListItem per category, and the bed type as a value
//   list whose URI is the HAVE 1.0 namespace its values come from.
// - have:lastUpdateTime per facility is 1.0's LastUpdateTime, in the same style.
// - gml:Point carries gml:id and srsName as GML 3.2 asks; no colourCode value-list URI
//   (the stylesheets read only edxl-ct:Value).
import { atThreshold, DEFAULT_ESCALATION_THRESHOLD } from '../domain/hospital-tiers.ts';
import type { Hospital, HospitalRole } from '../schema/index.ts';

export const HAVE_NS = 'urn:oasis:names:tc:emergency:edxl:have:2.0';
export const CT_NS = 'urn:oasis:names:tc:emergency:edxl:ct:1.0';
export const GSF_NS = 'urn:oasis:names:tc:emergency:edxl:gsf:1.0';
export const GML_NS = 'http://www.opengis.net/gml/3.2';
/** The list the bed types come from: HAVE 1.0's BedType values. */
export const BED_TYPE_LIST = 'urn:oasis:names:tc:emergency:EDXL:HAVE:1.0';

export type Colour = 'green' | 'yellow' | 'red';
export type CapacityStatus = 'VacantAvailable' | 'NotAvailable';
export type BedType = 'MedicalSurgical' | 'AdultICU' | 'NegativeFlowIsolation';

export interface BedCategory {
  bedType: BedType;
  /** The service's name, Chinese first. */
  name: string;
  baseline: number;
  available: number;
  status: CapacityStatus;
  colour: Colour;
}

/**
 * The board's three bed counts, each once. They are disjoint: the sample county and
 * site imports make a hospital's capacity their sum, and the board's 隔离床位 are its
 * negative-pressure isolation beds (负压隔离床 in the daily report, 负压病房 accepted as
 * the import heading). So those are reported as NegativeFlowIsolation and nowhere else:
 * no OtherIsolation and no all-beds total beside them, and the baselines sum to the
 * hospital's beds exactly once.
 */
const CATEGORIES: { key: keyof Hospital['beds']; bedType: BedType; name: string }[] = [
  { key: 'treatment', bedType: 'MedicalSurgical', name: '普通治疗床位 (medical-surgical)' },
  { key: 'icu', bedType: 'AdultICU', name: '重症监护床位 ICU (adult ICU)' },
  { key: 'isolation', bedType: 'NegativeFlowIsolation', name: '负压隔离床位 (negative-pressure isolation)' },
];

/**
 * Each bed category a hospital has, with what is free now: nothing in a hospital that
 * is not open (a makeshift hospital waiting for escalation), else total − occupied.
 * Red when none is free, yellow from the escalation threshold's share occupied.
 */
export function bedCategories(h: Hospital, threshold = DEFAULT_ESCALATION_THRESHOLD): BedCategory[] {
  return CATEGORIES.filter(({ key }) => h.beds[key].total > 0).map(({ key, bedType, name }) => {
    const { total, occupied } = h.beds[key];
    const available = h.open ? Math.max(0, total - occupied) : 0;
    const colour: Colour = available === 0 ? 'red' : occupied / total >= threshold ? 'yellow' : 'green';
    return { bedType, name, baseline: total, available, status: available > 0 ? 'VacantAvailable' : 'NotAvailable', colour };
  });
}

/**
 * The facility's colour: red when it is not open or has no bed free; yellow when it has
 * reached the escalation threshold the board uses (hospital-tiers) or a category is full.
 */
export function facilityColour(h: Hospital, categories: BedCategory[], threshold = DEFAULT_ESCALATION_THRESHOLD): Colour {
  if (!h.open || categories.every((c) => c.available === 0)) return 'red';
  if (atThreshold(h, threshold) || categories.some((c) => c.available === 0)) return 'yellow';
  return 'green';
}

/** ISO 8601 in China time, to the second, with its offset (EDXL date-times need one). */
export function chinaTime(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** Text for XML 1.0: the characters it cannot hold dropped, the five special ones escaped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** An element: text content, or children (null children are left out). */
interface Node {
  name: string;
  attrs?: Record<string, string>;
  text?: string;
  children?: (Node | null)[];
}
const el = (name: string, content: string | number | (Node | null)[], attrs?: Record<string, string>): Node =>
  Array.isArray(content) ? { name, attrs, children: content } : { name, attrs, text: String(content) };

function render(node: Node, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const attrs = Object.entries(node.attrs ?? {})
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  if (node.children) {
    out.push(`${pad}<${node.name}${attrs}>`);
    for (const child of node.children) if (child) render(child, depth + 1, out);
    out.push(`${pad}</${node.name}>`);
  } else {
    out.push(`${pad}<${node.name}${attrs}>${escapeXml(node.text ?? '')}</${node.name}>`);
  }
}

const value = (v: string) => el('edxl-ct:Value', v);
/** A gml:id is an XML name: the hospital id with anything else replaced. */
const gmlId = (id: string) => `pos-${id.replace(/[^A-Za-z0-9_.-]/g, '_')}`;

function facility(h: Hospital, threshold: number): Node {
  const categories = bedCategories(h, threshold);
  const [lng, lat] = h.location;
  return el('have:facility', [
    el('have:facilityInformation', [
      el('have:facilityID', h.id),
      el('have:facilityName', h.name),
      el('have:facilityGeoLocation', [
        el('edxl-ct:EDXLGeoLocation', [el('gml:Point', [el('gml:pos', `${lat} ${lng}`)], { 'gml:id': gmlId(h.id), srsName: 'urn:ogc:def:crs:EPSG::4326' })]),
      ]),
    ]),
    el('have:facilityColourStatus', [el('have:colourCode', [value(facilityColour(h, categories, threshold))])]),
    el(
      'have:serviceList',
      categories.map((c) =>
        el('have:serviceListItem', [
          el('have:serviceName', c.name),
          el('have:serviceStatus', [
            el('have:colourStatus', [el('have:colourCodeDefault', [value(c.colour)])]),
            el('have:bedCapacity', [
              el('have:bedType', [el('edxl-ct:ValueListURI', BED_TYPE_LIST), value(c.bedType)]),
              el('have:capacity', [el('have:capacityStatus', c.status), el('have:availableCount', c.available), el('have:baselineCount', c.baseline)]),
            ]),
          ]),
        ]),
      ),
    ),
    h.updatedAt > 0 ? el('have:lastUpdateTime', chinaTime(h.updatedAt)) : null,
  ]);
}

const ORDER: HospitalRole[] = ['designated', 'reserve', 'makeshift', 'fever-clinic'];

/**
 * The document: one have:facility per hospital, in escalation order then by id, and
 * when it was made (a comment: where 2.0 puts it could not be established).
 */
export function hospitalsHaveXml(hospitals: Hospital[], clock: () => number, threshold = DEFAULT_ESCALATION_THRESHOLD): string {
  const sorted = [...hospitals].sort((a, b) => ORDER.indexOf(a.role) - ORDER.indexOf(b.role) || a.id.localeCompare(b.id));
  const root = el('have:HAVE', sorted.map((h) => facility(h, threshold)), {
    'xmlns:have': HAVE_NS,
    'xmlns:edxl-ct': CT_NS,
    'xmlns:edxl-gsf': GSF_NS,
    'xmlns:gml': GML_NS,
  });
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<!-- 医院床位可用情况 hospital availability, EDXL-HAVE 2.0, ${chinaTime(clock())} -->`];
  render(root, 0, out);
  return `${out.join('\n')}\n`;
}
