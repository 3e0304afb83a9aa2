// The ingest bench's fleet: synthetic units inside the county, each driving back and
// forth along its own 2 km line at 40–60 km/h with a fix every second. Their clocks
// start hours in the past (a gateway relaying a backlog), so that many fixes a second
// per unit stay what the position filter takes: increasing, plausible speed, never in
// the future, never a day old; a unit whose backlog is used up waits for real time
// (dueIn), so a fast machine slows down instead of failing. And a DATA_DIR: the sample county plus these units and
// their JT/T 808 terminals, as a county would bring its own.
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Locator } from '../../server/geo/locator.ts';
import type { Ambulance, GridProps } from '../../server/schema/index.ts';

export interface Fix {
  lng: number;
  lat: number;
  at: number;
  speed: number;
  heading: number;
}

export interface Unit {
  id: string;
  /** The JT/T 808 terminal's phone number (12 digits). */
  phone: string;
  lng0: number;
  lat0: number;
  /** Degrees per metre along the line. */
  dLng: number;
  dLat: number;
  heading: number;
  speedKmh: number;
  /** Time of fix 0 (ms); fix k is k seconds later. */
  t0: number;
  /** Fixes handed out so far. */
  k: number;
}

const LINE_M = 2000;
const M_PER_DEG = 111_320;

/** A deterministic generator, so every run drives the same fleet. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` units whose lines lie inside the county's grids (both ends located), clocks starting `backlogMs` ago. */
export function makeFleet(locator: Locator<GridProps>, bbox: [number, number, number, number], n: number, backlogMs: number): Unit[] {
  const random = mulberry32(808);
  const t0 = Math.floor((Date.now() - backlogMs) / 1000) * 1000;
  const units: Unit[] = [];
  while (units.length < n) {
    const lng0 = bbox[0] + random() * (bbox[2] - bbox[0]);
    const lat0 = bbox[1] + random() * (bbox[3] - bbox[1]);
    const heading = Math.floor(random() * 360);
    const dLat = Math.cos((heading * Math.PI) / 180) / M_PER_DEG;
    const dLng = Math.sin((heading * Math.PI) / 180) / (M_PER_DEG * Math.cos((lat0 * Math.PI) / 180));
    if (!locator.locate(lng0, lat0) || !locator.locate(lng0 + dLng * LINE_M, lat0 + dLat * LINE_M)) continue;
    const i = units.length + 1;
    units.push({
      id: `BENCH${String(i).padStart(5, '0')}`,
      phone: `0139${String(10_000_000 + i).padStart(8, '0')}`,
      lng0,
      lat0,
      dLng,
      dLat,
      heading,
      speedKmh: 40 + random() * 20,
      t0,
      k: 0,
    });
  }
  return units;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * How long until the unit's next `count` fixes are all in the past (0: now). A unit that
 * has used up its backlog reports in real time from then on, one fix a second, so the
 * fleet's clock never runs past now however fast the machine is.
 */
export function dueIn(u: Unit, count = 1): number {
  return Math.max(0, u.t0 + (u.k + count - 1) * 1000 - Date.now());
}

/** The unit's next fix: a second after the previous, further along its line (back and forth). Call when dueIn(u) is 0. */
export function nextFix(u: Unit): Fix {
  const k = u.k++;
  const at = u.t0 + k * 1000;
  if (at > Date.now()) throw new Error(`${u.id}'s fix ${k} is in the future: wait dueIn() first`);
  const travelled = ((u.speedKmh / 3.6) * k) % (2 * LINE_M);
  const back = travelled > LINE_M;
  const s = back ? 2 * LINE_M - travelled : travelled;
  return {
    // Six decimals: what a JT/T 808 terminal can say, and what the HTTP bench sends.
    lng: round6(u.lng0 + u.dLng * s),
    lat: round6(u.lat0 + u.dLat * s),
    at,
    speed: Math.round(u.speedKmh * 10) / 10,
    heading: back ? (u.heading + 180) % 360 : u.heading,
  };
}

/**
 * A temporary DATA_DIR: the source county's files linked, its live seed and terminals
 * extended by the units (no fix yet: the first comes from the bench).
 */
export function writeDataDir(source: string, units: Unit[]): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-data-'));
  for (const file of readdirSync(source)) {
    if (file !== 'live-seed.json' && file !== 'terminals.json') symlinkSync(resolve(source, file), join(dir, file));
  }
  const seed = JSON.parse(readFileSync(join(source, 'live-seed.json'), 'utf8')) as { ambulances: Ambulance[] };
  const template = seed.ambulances[0]!;
  seed.ambulances.push(
    ...units.map((u, i): Ambulance => ({
      ...template,
      id: u.id,
      callSign: `压测${i + 1}`,
      status: 'available',
      crew: [],
      fix: null,
      gridId: null,
      taskId: null,
    })),
  );
  writeFileSync(join(dir, 'live-seed.json'), JSON.stringify(seed));
  const terminals = JSON.parse(readFileSync(join(source, 'terminals.json'), 'utf8')) as { phone: string; ambulanceId: string }[];
  terminals.push(...units.map((u) => ({ phone: u.phone, ambulanceId: u.id })));
  writeFileSync(join(dir, 'terminals.json'), JSON.stringify(terminals));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
