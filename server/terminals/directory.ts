// The terminal bindings this process serves: a copy of the store's set, looked up on every
// JT/T 808 message and OsmAnd request without a store read, swapped in one step when the
// store says the set changed (plugins/terminals.ts). Loads run one at a time and each reads
// the set as stored when its turn comes, so the last write wins in every process.
import type { TerminalBinding } from '../county/county.ts';
import { jt808Key, type StoredVehicleTerminals, type TerminalKind } from '../schema/terminals.ts';
import type { TerminalStore } from '../store/terminal-store.ts';

interface Served {
  /** -1: not loaded from the store yet (the county's file is served). */
  version: number;
  jt808: Map<string, TerminalBinding>;
  osmand: Map<string, TerminalBinding>;
}

/** The lookup maps of a set of vehicles' bindings. */
export function servedMaps(vehicles: Iterable<StoredVehicleTerminals>): Pick<Served, 'jt808' | 'osmand'> {
  const jt808 = new Map<string, TerminalBinding>();
  const osmand = new Map<string, TerminalBinding>();
  for (const v of vehicles) {
    if (v.jt808)
      jt808.set(jt808Key(v.jt808.phone), {
        ambulanceId: v.ambulanceId,
        ...(v.jt808.terminalId ? { terminalId: v.jt808.terminalId } : {}),
        ...(v.jt808.plate ? { plate: v.jt808.plate } : {}),
      });
    if (v.osmand) osmand.set(v.osmand.deviceId, { ambulanceId: v.ambulanceId, osmandId: v.osmand.deviceId, ...(v.osmand.keyHash ? { osmandKeyHash: v.osmand.keyHash } : {}) });
  }
  return { jt808, osmand };
}

export class TerminalDirectory {
  private served: Served;
  private loading: Promise<unknown> = Promise.resolve();

  /** Until the first load: the county's terminals.json (a store unreachable at start). */
  constructor(initial: Pick<Served, 'jt808' | 'osmand'>) {
    this.served = { version: -1, ...initial };
  }

  get version(): number {
    return this.served.version;
  }

  /** The JT/T 808 terminal's binding, by its phone as sent (padding zeros do not matter within this kind). */
  jt808Of(phone: string): TerminalBinding | undefined {
    return this.served.jt808.get(jt808Key(phone));
  }

  /** The OsmAnd phone's binding, by its device id exactly. */
  osmandOf(deviceId: string): TerminalBinding | undefined {
    return this.served.osmand.get(deviceId);
  }

  isBound(kind: TerminalKind, identity: string): boolean {
    return !!(kind === 'jt808' ? this.jt808Of(identity) : this.osmandOf(identity));
  }

  /** Loads the store's set (after the loads queued before it); resolves to the version now served. */
  reload(store: TerminalStore): Promise<number> {
    const load = this.loading.then(async () => {
      // Whatever the store holds when this load runs is the truth, a lower version too (a store
      // that came back empty, say): loads run in turn, so none swaps in an older read over a newer.
      const set = await store.bindingSet();
      this.served = { version: set.version, ...servedMaps(set.vehicles.values()) };
      return this.served.version;
    });
    this.loading = load.catch(() => undefined);
    return load;
  }
}
