// fast-check arbitraries for hostile input: edge numbers (NaN, ±Infinity, -0, 1e308, far-future
// times), hostile strings (unicode, zero-width, RTL, very long, prototype keys, injections), JSON
// values built from the real keys and enum values of the API's zod schemas, deep nesting, text
// that is not JSON, and mutations of a valid body. JSON cannot carry NaN or Infinity, so bodies
// are written by `jsonText`, which sends them as a client would type them (1e999, "NaN", -0).
import fc from 'fast-check';
import * as schemas from '../../server/schema/index.ts';

/** Every object key and enum value in the schema module, walked through wrappers and unions. */
function vocabulary(): { keys: string[]; words: string[] } {
  const keys = new Set<string>();
  const words = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return;
    if (def.type === 'object') for (const k of Object.keys(def.shape as object)) keys.add(k);
    if (def.type === 'enum') for (const v of Object.values(def.entries as object)) if (typeof v === 'string') words.add(v);
    if (def.type === 'literal') for (const v of def.values as unknown[]) if (typeof v === 'string') words.add(v);
    for (const value of Object.values(def)) {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object' && !('_zod' in value)) Object.values(value).forEach(walk);
      else walk(value);
    }
  };
  Object.values(schemas).forEach(walk);
  return { keys: [...keys].sort(), words: [...words].sort() };
}
export const VOCABULARY = vocabulary();

/** Prototype-pollution keys, as object keys and as query-string keys. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];

const NOW = Date.now();
export const EDGE_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.EPSILON,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER,
  2 ** 31,
  2 ** 32,
  1e21,
  Infinity,
  -Infinity,
  NaN,
  // Coordinates and headings at and just past their limits; the county's neighbourhood; null island.
  90,
  -90,
  90.000001,
  180,
  -180,
  180.000001,
  359.999,
  360,
  400,
  400.001,
  95.78,
  40.52,
  40.3,
  96.9,
  // Times: now, far future, year 9999, the largest Date, before the epoch.
  NOW,
  NOW + 86_400_000 * 365 * 100,
  253_402_300_799_999,
  8.64e15,
  8.64e15 + 1,
  -1,
  1e12,
];

export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e308',
  '1e999',
  '0x10',
  '{}',
  '[]',
  '{"a":1}',
  ...PROTO_KEYS,
  'toString',
  'valueOf',
  'hasOwnProperty',
  // Unicode: emoji with joiners, right-to-left override, zero-width characters, combining marks, a lone surrogate.
  '👨‍👩‍👧‍👦',
  '🚑🦠',
  '\u202eevil\u202c',
  'مستشفى',
  'שלום',
  'a\u200bb\u200c\u200d\ufeff',
  'Z͑ͫ̓ͪ̂ͫ̽͏̴̙̤̞͉͚̯̞̠͍',
  '\ud800',
  '瓜州县人民医院',
  // Injections and traversal, which must stay plain text.
  '../../etc/passwd',
  '%00',
  '%zz',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${7*7}',
  '{{7*7}}',
  '\r\nSet-Cookie: a=1',
  'x'.repeat(65),
  '长'.repeat(5000),
  'a'.repeat(100_000),
];

export const hostileNumber = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...EDGE_NUMBERS) }, { weight: 1, arbitrary: fc.double() }, { weight: 1, arbitrary: fc.integer() });

export const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...VOCABULARY.words) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

export const hostileKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VOCABULARY.keys) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  { weight: 1, arbitrary: hostileString },
);

/** Objects where a string or number is expected, which break a careless String(x), `${x}` or x.length. */
export const TRICK_OBJECTS = [
  '{"toString":1}',
  '{"toString":{}}',
  '{"toString":null,"valueOf":null}',
  '{"valueOf":"x","toString":[]}',
  '{"toString":"x"}',
  '{"length":1e9}',
  '{"then":1}',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '[]',
  '{}',
].map((text) => JSON.parse(text) as unknown);

const leaf = fc.oneof(
  { weight: 3, arbitrary: hostileNumber },
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(...TRICK_OBJECTS) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** Any JSON-ish value: leaves, arrays and objects keyed by real schema keys and hostile ones. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(hostileKey, tie('value'), { maxKeys: 5 })),
})).value;

/** An object of real keys (the API's, and those of a route's valid body) with wrong-typed or edge values. */
export function objectOfKeys(extra: string[] = []): fc.Arbitrary<Record<string, unknown>> {
  const key = extra.length ? fc.oneof(hostileKey, fc.constantFrom(...extra)) : hostileKey;
  return fc.dictionary(key, hostileValue, { minKeys: 1, maxKeys: 6 });
}

/** Every key in a value, at any depth. */
export function keysIn(value: unknown, out = new Set<string>()): string[] {
  if (Array.isArray(value)) value.forEach((v) => keysIn(v, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) keysIn(v, out.add(k));
  return [...out];
}

/** Deep nesting, as arrays or objects, around a hostile leaf. */
export const nestedUpTo = (maxDepth: number) =>
  fc.tuple(fc.integer({ min: 100, max: maxDepth }), fc.boolean(), fc.constantFrom(...VOCABULARY.keys), leaf).map(([depth, arrays, key, inner]) => {
    let value: unknown = inner;
    for (let i = 0; i < depth; i++) value = arrays ? [value] : { [key]: value };
    return value;
  });
export const deeplyNested = nestedUpTo(5000);

/** Text that is not (quite) JSON. */
export const notJson = fc.constantFrom(
  '',
  ' ',
  '{',
  '}',
  '[',
  '{"a":1,}',
  "{'a':1}",
  'NaN',
  '[NaN]',
  'Infinity',
  'undefined',
  '0x1F',
  '{"a":01}',
  '\u0000',
  '\ufeff{}',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"a":1}{"a":2}',
  '"unterminated',
  '{"lng":1e999,"lat":-1e999}',
  '{"at":1e400}',
  '[1e999]',
  '{"a":-0}',
);

/** encodeURIComponent, with a lone surrogate sent as the malformed UTF-8 a hostile client would send. */
export function encodePart(text: string): string {
  let out = '';
  for (const ch of text) {
    try {
      out += encodeURIComponent(ch);
    } catch {
      out += '%ED%A0%80';
    }
  }
  return out;
}

/** A value written as JSON text, with what JSON cannot carry sent as a client would type it. */
export function jsonText(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '"NaN"';
    if (value === Infinity) return '1e999';
    if (value === -Infinity) return '-1e999';
    if (Object.is(value, -0)) return '-0';
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** JSON text that may be long or deep: written without recursion for nested single-child values. */
export function bodyText(value: unknown): string {
  let open = '';
  let close = '';
  let node = value;
  for (;;) {
    if (Array.isArray(node) && node.length === 1 && (Array.isArray(node[0]) || (node[0] && typeof node[0] === 'object'))) {
      open += '[';
      close = `]${close}`;
      node = node[0];
      continue;
    }
    const entries = node && typeof node === 'object' && !Array.isArray(node) ? Object.entries(node) : [];
    const [only] = entries;
    if (entries.length === 1 && only && only[1] && typeof only[1] === 'object') {
      open += `{${JSON.stringify(only[0])}:`;
      close = `}${close}`;
      node = only[1];
      continue;
    }
    return open + jsonText(node) + close;
  }
}

/** What replaces one value of a valid body: mostly a value of another type, often an object posing as a string. */
const replacement = fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 2, arbitrary: fc.constantFrom(...TRICK_OBJECTS) }, { weight: 1, arbitrary: hostileValue });

type Path = (string | number)[];
function pathsOf(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...path, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, k], out);
  return out;
}

/** The sweep's values: objects posing as text, wrong types, the longest and oddest text, the edge numbers. */
export const SWEEP_VALUES: unknown[] = [
  ...['{"toString":1}', '[]'].map((t) => JSON.parse(t) as unknown),
  null,
  '',
  'x'.repeat(5000),
  Number.MAX_SAFE_INTEGER,
  8.64e15 + 1,
  -1,
  0.5,
  Infinity,
  NaN,
];

/** Every copy of a valid body with one of its values (at any depth) replaced by one of the sweep's. */
export function everyReplacement(valid: unknown): unknown[] {
  const out: unknown[] = [];
  for (const path of pathsOf(valid).filter((p) => p.length > 0)) {
    for (const value of SWEEP_VALUES) {
      const copy = structuredClone(valid);
      let parent: any = copy;
      for (const step of path.slice(0, -1)) parent = parent[step];
      parent[path.at(-1)!] = value;
      out.push(copy);
    }
  }
  return out;
}

/** A valid body with one thing changed: a value replaced, a key removed, or a hostile key added. */
export function mutationOf(valid: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid);
  return fc
    .tuple(fc.nat({ max: paths.length - 1 }), fc.constantFrom('replace', 'replace', 'replace', 'remove', 'add'), hostileKey, replacement)
    .map(([i, kind, key, replacement]) => {
      const copy = structuredClone(valid);
      const path = paths[i]!;
      if (path.length === 0) return kind === 'replace' ? replacement : copy;
      let parent: any = copy;
      for (const step of path.slice(0, -1)) parent = parent[step];
      const last = path.at(-1)!;
      if (kind === 'replace') parent[last] = replacement;
      else if (kind === 'remove') {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      } else {
        const target = parent[last];
        if (target && typeof target === 'object' && !Array.isArray(target))
          Object.defineProperty(target, key, { value: replacement, enumerable: true, configurable: true, writable: true });
        else parent[last] = replacement;
      }
      return copy;
    });
}
