// The hospitals' bed availability as an OASIS EDXL-HAVE 1.0 `HospitalStatus` document,
// for other agencies' hospital-availability systems. Pure: hospitals and a clock in, XML
// out. It validates against the OASIS Standard schema (edxl-have.xsd with its CIQ, GML
// and xlink imports; a copy with its provenance is in test/fixtures/edxl-have-1.0/, and
// `npm run check:have` runs xmllint over the export).
//
// Why 1.0 and not 2.0: the final HAVE 2.0 schema is not at hand to check a document
// against, and a 2.0 draft's names differ from it; 1.0 is the published standard that
// recipients' validators know. The document, element by element (schema order):
//   have:HospitalStatus > have:Hospital (one per hospital, escalation order then id) >
//     have:Organization > have:OrganizationInformation (xPIL OrganisationDetails:
//       xnl:OrganisationName > xnl:NameElement; xpil:Identifiers > xpil:Identifier >
//       xpil:IdentifierElement, the board's hospital id),
//       have:OrganizationGeoLocation > gml:Point > gml:pos ("lat lon", GML 3.1 as the
//       schema imports it), have:CommentText (the hospital's role, 定点医院 …)
//     have:HospitalBedCapacityStatus > have:BedCapacity per bed category the hospital has:
//       have:BedType, have:Capacity > have:CapacityStatus (`Vacant/Available` or
//       `NotAvailable`, spelt as the schema's enumeration), have:AvailableCount,
//       have:BaselineCount; have:CommentText when the category reached the escalation
//       threshold (1.0 has no colour for beds)
//     have:HospitalFacilityStatus > have:ClinicalStatus (`Full` when no bed is free),
//       have:FacilityStatus (`Closed` for a hospital not open, e.g. a makeshift hospital
//       waiting for escalation)
//     have:LastUpdateTime (seconds, China time with its offset)
// The schema requires LastUpdateTime: a hospital never updated reports the export time.
import { zonedIso } from '../domain/daily-report.ts';
import { DEFAULT_ESCALATION_THRESHOLD } from '../domain/hospital-tiers.ts';
import { HOSPITAL_ROLE_ZH, type Hospital, type HospitalRole } from '../schema/index.ts';

export const HAVE_NS = 'urn:oasis:names:tc:emergency:EDXL:HAVE:1.0';
export const XNL_NS = 'urn:oasis:names:tc:ciq:xnl:3';
export const XPIL_NS = 'urn:oasis:names:tc:ciq:xpil:3';
/** GML as EDXL-HAVE 1.0 imports it (gml-oasis.xsd, a GML 3.1 profile). */
export const GML_NS = 'http://www.opengis.net/gml';

export type CapacityStatus = 'Vacant/Available' | 'NotAvailable';
export type BedType = 'MedicalSurgical' | 'AdultICU' | 'NegativeFlowIsolation';

export interface BedCategory {
  bedType: BedType;
  baseline: number;
  available: number;
  status: CapacityStatus;
  /** This category's occupancy has reached the escalation threshold. */
  atThreshold: boolean;
}

/**
 * The board's three bed counts, each once. They are disjoint: the sample county and
 * site imports make a hospital's capacity their sum, and the board's 隔离床位 are its
 * negative-pressure isolation beds (负压隔离床 in the daily report, 负压病房 accepted as
 * the import heading). So those are reported as NegativeFlowIsolation and nowhere else:
 * no OtherIsolation beside them, and the baselines sum to the hospital's beds exactly once.
 */
const CATEGORIES: { key: keyof Hospital['beds']; bedType: BedType }[] = [
  { key: 'treatment', bedType: 'MedicalSurgical' },
  { key: 'icu', bedType: 'AdultICU' },
  { key: 'isolation', bedType: 'NegativeFlowIsolation' },
];

const ROLE_EN: Record<HospitalRole, string> = {
  designated: 'designated hospital',
  reserve: 'reserve designated hospital',
  makeshift: 'makeshift hospital',
  'fever-clinic': 'fever clinic',
};

/**
 * Each bed category a hospital has, with what is free now: nothing in a hospital that
 * is not open (a makeshift hospital waiting for escalation), else total − occupied.
 */
export function bedCategories(h: Hospital, threshold = DEFAULT_ESCALATION_THRESHOLD): BedCategory[] {
  return CATEGORIES.filter(({ key }) => h.beds[key].total > 0).map(({ key, bedType }) => {
    const { total, occupied } = h.beds[key];
    const available = h.open ? Math.max(0, total - occupied) : 0;
    return { bedType, baseline: total, available, status: available > 0 ? 'Vacant/Available' : 'NotAvailable', atThreshold: occupied / total >= threshold };
  });
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

/** A number as xsd:integer (the counts are whole; anything else would not validate). */
const int = (n: number) => String(Math.max(0, Math.round(n)));

function bedCapacity(c: BedCategory): Node {
  return el('have:BedCapacity', [
    el('have:BedType', c.bedType),
    el('have:Capacity', [el('have:CapacityStatus', c.status), el('have:AvailableCount', int(c.available)), el('have:BaselineCount', int(c.baseline))]),
    c.atThreshold && c.available > 0 ? el('have:CommentText', '已达扩容阈值 (escalation threshold reached)') : null,
  ]);
}

function hospital(h: Hospital, now: number, threshold: number, timeZone: string): Node {
  const categories = bedCategories(h, threshold);
  const [lng, lat] = h.location;
  const full = !h.open || categories.every((c) => c.available === 0);
  return el('have:Hospital', [
    el('have:Organization', [
      el('have:OrganizationInformation', [
        el('xnl:OrganisationName', [el('xnl:NameElement', h.name)]),
        el('xpil:Identifiers', [el('xpil:Identifier', [el('xpil:IdentifierElement', h.id)])]),
      ]),
      el('have:OrganizationGeoLocation', [el('gml:Point', [el('gml:pos', `${lat} ${lng}`)])]),
      el('have:CommentText', `${HOSPITAL_ROLE_ZH[h.role]} (${ROLE_EN[h.role]})`),
    ]),
    categories.length > 0 ? el('have:HospitalBedCapacityStatus', categories.map(bedCapacity)) : null,
    el('have:HospitalFacilityStatus', [el('have:ClinicalStatus', full ? 'Full' : 'Normal'), el('have:FacilityStatus', h.open ? 'Normal' : 'Closed')]),
    el('have:LastUpdateTime', zonedIso(h.updatedAt > 0 ? h.updatedAt : now, timeZone)),
  ]);
}

const ORDER: HospitalRole[] = ['designated', 'reserve', 'makeshift', 'fever-clinic'];

/** The document: one have:Hospital per hospital, in escalation order then by id, and when it was made (a comment). */
/** EDXL date-times carry an offset: the county's (`timeZone`, China's by default). */
export function hospitalsHaveXml(hospitals: Hospital[], clock: () => number, threshold = DEFAULT_ESCALATION_THRESHOLD, timeZone = 'Asia/Shanghai'): string {
  const now = clock();
  const sorted = [...hospitals].sort((a, b) => ORDER.indexOf(a.role) - ORDER.indexOf(b.role) || a.id.localeCompare(b.id));
  const root = el(
    'have:HospitalStatus',
    sorted.map((h) => hospital(h, now, threshold, timeZone)),
    {
      'xmlns:have': HAVE_NS,
      'xmlns:xnl': XNL_NS,
      'xmlns:xpil': XPIL_NS,
      'xmlns:gml': GML_NS,
    },
  );
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<!-- 医院床位可用情况 hospital availability, EDXL-HAVE 1.0, ${zonedIso(now, timeZone)} -->`];
  render(root, 0, out);
  return `${out.join('\n')}\n`;
}
