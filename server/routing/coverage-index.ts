// The coverage map kept current incrementally: one row of seconds to every grid per
// unit (from ReachProvider, computed where the unit was: its anchor), and per class of
// unit (negative-pressure, ordinary) each grid's best time and which unit gives it.
// A unit's change touches only its own row and the grids it was best for:
// - it becomes eligible, or has moved more than `toleranceMeters` from its anchor: a new
//   row (one search over the roads);
// - it moved less than that: its anchor row plus the leg back to the anchor, off-road
//   (a way it can really drive, so the figure never flatters; at most twice that leg
//   too pessimistic), no search at all;
// - it is no longer eligible: its row leaves the minimum, and only the grids it was best
//   for are looked at again over the class's other units.
import { distanceMeters } from '../geo/distance.ts';
import type { LngLat } from '../schema/index.ts';
import { offRoadSeconds } from './reach.ts';

export type UnitClass = 'negative-pressure' | 'ordinary';
export const UNIT_CLASSES: readonly UnitClass[] = ['negative-pressure', 'ordinary'];

export interface UnitState {
  id: string;
  cls: UnitClass;
  /** Could take a call now (server/domain/eligibility.ts) with a position. */
  eligible: boolean;
  at: LngLat | null;
}

interface Slot {
  id: string;
  index: number;
  cls: UnitClass;
  eligible: boolean;
  at: LngLat | null;
  anchor: LngLat | null;
  /** Seconds from the anchor to every grid. */
  anchorRow: Float64Array | null;
  /** Seconds from where the unit is now (anchor row plus the leg back to the anchor). */
  row: Float64Array;
}

interface ClassBest {
  seconds: Float64Array;
  /** Slot index of the unit that gives it; -1 for none. */
  unit: Int32Array;
  members: Set<Slot>;
}

export class CoverageIndex {
  private readonly slots = new Map<string, Slot>();
  private readonly bySlot: Slot[] = [];
  private readonly best: Record<UnitClass, ClassBest>;
  /** Changes each time some grid's figure changes. */
  version = 0;
  /** Searches run (for the bench and the tests). */
  searches = 0;

  constructor(
    readonly gridCount: number,
    private readonly toleranceMeters = 300,
  ) {
    const make = (): ClassBest => ({ seconds: new Float64Array(gridCount).fill(Infinity), unit: new Int32Array(gridCount).fill(-1), members: new Set() });
    this.best = { 'negative-pressure': make(), ordinary: make() };
  }

  /** Does this update need a new row from the router (the caller fetches it, maybe asynchronously)? */
  needsRow(u: UnitState): boolean {
    if (!u.eligible || !u.at) return false;
    const slot = this.slots.get(u.id);
    if (!slot?.anchor || !slot.anchorRow) return true;
    return distanceMeters(u.at[0], u.at[1], slot.anchor[0], slot.anchor[1]) > this.toleranceMeters;
  }

  /** Applies a unit's state; `row` is the seconds from `u.at` when needsRow said so. Returns whether any grid's figure changed. */
  update(u: UnitState, row?: Float64Array): boolean {
    let slot = this.slots.get(u.id);
    if (!slot) {
      slot = { id: u.id, index: this.bySlot.length, cls: u.cls, eligible: false, at: null, anchor: null, anchorRow: null, row: new Float64Array(this.gridCount).fill(Infinity) };
      this.slots.set(u.id, slot);
      this.bySlot.push(slot);
    }
    const wasIn = slot.eligible && slot.at !== null;
    const oldClass = slot.cls;
    if (row) {
      if (row.length !== this.gridCount) throw new Error(`row of ${row.length}, expected ${this.gridCount}`);
      slot.anchor = u.at;
      slot.anchorRow = row;
      this.searches++;
    }
    const isIn = u.eligible && u.at !== null && slot.anchorRow !== null;
    if (u.eligible && u.at && !slot.anchorRow) throw new Error(`unit ${u.id} needs a row (needsRow)`);
    slot.cls = u.cls;
    slot.eligible = u.eligible;
    slot.at = u.at;
    if (!wasIn && !isIn) return false;
    if (wasIn && (!isIn || oldClass !== u.cls)) {
      // Out of its old class: its row leaves the minimum there.
      const changed = this.leave(slot, oldClass);
      if (!isIn) return this.bump(changed);
    }
    // In: the row from where it is now.
    const back = offRoadSeconds(distanceMeters(u.at![0], u.at![1], slot.anchor![0], slot.anchor![1]));
    const anchorRow = slot.anchorRow!;
    const next = slot.row;
    const best = this.best[u.cls];
    const joined = !wasIn || oldClass !== u.cls;
    best.members.add(slot);
    let changed = false;
    const rescan: number[] = [];
    for (let g = 0; g < this.gridCount; g++) {
      const t = anchorRow[g]! + back;
      const before = next[g]!;
      next[g] = t;
      if (t < best.seconds[g]!) {
        best.seconds[g] = t;
        best.unit[g] = slot.index;
        changed = true;
      } else if (best.unit[g] === slot.index && t !== before) {
        if (t < before) {
          best.seconds[g] = t;
          changed = true;
        } else rescan.push(g);
      }
    }
    if (joined) changed = true;
    for (const g of rescan) if (this.rescan(best, g)) changed = true;
    return this.bump(changed);
  }

  /** A unit gone from the fleet. */
  remove(id: string): boolean {
    const slot = this.slots.get(id);
    if (!slot) return false;
    const changed = slot.eligible && slot.at !== null && slot.anchorRow !== null ? this.leave(slot, slot.cls) : false;
    slot.eligible = false;
    slot.at = null;
    return this.bump(changed);
  }

  /** Takes the unit out of its class. True: the class lost a member, which move-up reads even where no grid's figure moved. */
  private leave(slot: Slot, cls: UnitClass): true {
    const best = this.best[cls];
    best.members.delete(slot);
    for (let g = 0; g < this.gridCount; g++) if (best.unit[g] === slot.index) this.rescan(best, g);
    slot.row.fill(Infinity);
    return true;
  }

  /** The grid's best over the class's members, looked at again. */
  private rescan(best: ClassBest, g: number): boolean {
    let t = Infinity;
    let unit = -1;
    for (const m of best.members) {
      const s = m.row[g]!;
      if (s < t || (s === t && unit !== -1 && m.index < unit)) {
        t = s;
        unit = m.index;
      }
    }
    const changed = t !== best.seconds[g] || unit !== best.unit[g];
    best.seconds[g] = t;
    best.unit[g] = t === Infinity ? -1 : unit;
    return changed;
  }

  private bump(changed: boolean): boolean {
    if (changed) this.version++;
    return changed;
  }

  /** Each grid's best seconds for a class (Infinity: no unit within the bound). Do not modify. */
  seconds(cls: UnitClass): Float64Array {
    return this.best[cls].seconds;
  }

  /** The unit giving each grid's best, or null. */
  bestUnit(cls: UnitClass, grid: number): string | null {
    const i = this.best[cls].unit[grid]!;
    return i < 0 ? null : this.bySlot[i]!.id;
  }

  /** The rows of a class's units in coverage now, by unit id (for move-up). Do not modify. */
  rows(cls: UnitClass): Map<string, Float64Array> {
    return new Map([...this.best[cls].members].map((s) => [s.id, s.row]));
  }
}
