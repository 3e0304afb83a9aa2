// The store's part for vehicle terminals: which terminal identities each vehicle holds (the
// truth once seeded; every process keeps a copy it reloads on the store's notice) and the
// terminals that reported with an identity no vehicle holds. One contract, two implementations
// (memory/terminals.ts, redis/terminals.ts), checked by test/store/terminal-contract.ts.
import type { StoredUnknownTerminal, StoredVehicleTerminals, TerminalKind } from '../schema/terminals.ts';
import { jt808Key } from '../schema/terminals.ts';

/** Every vehicle's binding and the version of the whole set (0: never written). */
export interface TerminalBindingSet {
  version: number;
  vehicles: Map<string, StoredVehicleTerminals>;
}

/** One vehicle's binding as it should be after a write (null: it holds no terminal any more). */
export interface BindingWrite {
  ambulanceId: string;
  binding: StoredVehicleTerminals | null;
}

export interface TerminalStore {
  /** Every binding and the set's version, read in one step. */
  bindingSet(): Promise<TerminalBindingSet>;
  /** Only the version (a cheap check that a process missed no change). */
  bindingSetVersion(): Promise<number>;
  /**
   * Writes bindings only if the set is still at `expected` (nobody, in any process, wrote it
   * since it was read), bumping its version and telling every process (onBindings), in one
   * atomic step. Resolves to the new version, or 'conflict'.
   */
  writeBindings(expected: number, writes: BindingWrite[]): Promise<number | 'conflict'>;
  /** Calls listener with the set's version after every write by any process (and, after a lost connection, the stored one). */
  onBindings(listener: (version: number) => void): Promise<() => void>;
  /**
   * Records (or refreshes) an unknown terminal: `messages` is added to what is kept, the first
   * sighting stays, a missing position, terminal id, plate or key keeps the last one. Only the
   * `cap` most recently seen are kept.
   */
  recordUnknown(entry: StoredUnknownTerminal, cap: number): Promise<void>;
  /** The unknown terminals, most recently seen first. */
  unknownTerminals(): Promise<StoredUnknownTerminal[]>;
  /** Forgets an unknown terminal (bound now); false when it was not listed. */
  forgetUnknown(kind: TerminalKind, identity: string): Promise<boolean>;
}

/** Where an unknown terminal is kept: one entry per identity within its kind (a JT/T 808 phone without its padding zeros). */
export const unknownField = (kind: TerminalKind, identity: string): string => `${kind}:${kind === 'jt808' ? jt808Key(identity) : identity}`;

/** An unknown terminal's sighting merged into what was kept of it. */
export function mergeUnknown(kept: StoredUnknownTerminal | undefined, seen: StoredUnknownTerminal): StoredUnknownTerminal {
  if (!kept) return seen;
  return {
    ...seen,
    firstSeen: Math.min(kept.firstSeen, seen.firstSeen),
    messages: kept.messages + seen.messages,
    lastPosition: seen.lastPosition ?? kept.lastPosition,
    terminalId: seen.terminalId ?? kept.terminalId,
    plate: seen.plate ?? kept.plate,
    hasKey: seen.hasKey || kept.hasKey,
    ...((seen.keyHash ?? kept.keyHash) ? { keyHash: seen.keyHash ?? kept.keyHash } : {}),
  };
}

/**
 * Read-modify-write of the binding set: `change` sees the set as stored and returns the writes
 * and its answer (or only an answer: nothing to write); the writes go in only if nobody wrote
 * the set meanwhile, else it is read and computed again.
 */
export async function updateBindings<T>(
  store: TerminalStore,
  change: (set: TerminalBindingSet) => { writes: BindingWrite[]; result: T } | { result: T },
  attempts = 20,
): Promise<{ result: T; version: number } | 'conflict'> {
  for (let i = 0; i < attempts; i++) {
    const set = await store.bindingSet();
    const planned = change(set);
    if (!('writes' in planned) || planned.writes.length === 0) return { result: planned.result, version: set.version };
    const version = await store.writeBindings(set.version, planned.writes);
    if (version !== 'conflict') return { result: planned.result, version };
  }
  return 'conflict';
}
