// What admins do to vehicles' terminals: list them, bind, rebind, unbind, and bind an unknown
// terminal in one action. Every change is a compare-and-set over the store's whole binding set
// (one identity is held by at most one vehicle: a move takes it from the other vehicle in the
// same step), after which this process serves the new set at once and every other process on
// the store's notice. An OsmAnd phone's key is kept as its SHA-256 only: a new key is made here
// and answered once; binding an unknown phone may adopt the key it reports with.
import { createHash, randomBytes } from 'node:crypto';
import type { County } from '../county/county.ts';
import type { Ambulance } from '../schema/index.ts';
import {
  jt808Key,
  type BindTerminalsRequest,
  type BindUnknownRequest,
  type Jt808Binding,
  type StoredUnknownTerminal,
  type StoredVehicleTerminals,
  type TerminalKind,
  type UnknownTerminal,
  type VehicleTerminalsView,
} from '../schema/terminals.ts';
import type { ChangeRefusal, Outcome } from '../schema/outcome.ts';
import type { LiveStore } from '../store/store.ts';
import { updateBindings, type BindingWrite, type TerminalBindingSet } from '../store/terminal-store.ts';
import type { TerminalDirectory } from './directory.ts';

/** Done with the vehicle's terminals and the identities moved to it (and the OsmAnd key when one was made); refused with the identity's owner when it is taken. */
export type BindingOutcome = Outcome<{ vehicle: VehicleTerminalsView; moved: string[] }, ChangeRefusal, { key?: string }, { owner?: string }>;

type Refusal = Extract<BindingOutcome, { ok: false }>;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The view admins get: never the key's hash. */
export function viewOf(id: string, stored: StoredVehicleTerminals | undefined, unit: Ambulance | undefined): VehicleTerminalsView {
  return {
    ambulanceId: id,
    callSign: unit?.callSign ?? null,
    kind: unit?.kind ?? null,
    onBoard: !!unit,
    jt808: stored?.jt808 ?? null,
    osmand: stored?.osmand ? { deviceId: stored.osmand.deviceId, hasKey: !!stored.osmand.keyHash } : null,
    version: stored?.version ?? 0,
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
  };
}

export const publicUnknown = ({ keyHash: _hash, ...rest }: StoredUnknownTerminal): UnknownTerminal => rest;

/** The bindings terminals.json gives a county (its first start): one per vehicle, the last entry for a vehicle winning. */
export function seedFromCounty(county: Pick<County, 'terminals' | 'osmandDevices'>, at: number): StoredVehicleTerminals[] {
  const byVehicle = new Map<string, StoredVehicleTerminals>();
  const of = (ambulanceId: string) => byVehicle.get(ambulanceId) ?? { ambulanceId, jt808: null, osmand: null, version: 1, updatedAt: at, updatedBy: 'terminals.json' };
  for (const [phone, b] of county.terminals) {
    byVehicle.set(b.ambulanceId, { ...of(b.ambulanceId), jt808: { phone, ...(b.terminalId ? { terminalId: b.terminalId } : {}), ...(b.plate ? { plate: b.plate } : {}) } });
  }
  // A phone without a key cannot report over OsmAnd: only those with one (or a configured id) are seeded.
  for (const [deviceId, b] of county.osmandDevices) {
    if (!b.osmandKeyHash && !b.osmandId) continue;
    byVehicle.set(b.ambulanceId, { ...of(b.ambulanceId), osmand: { deviceId, ...(b.osmandKeyHash ? { keyHash: b.osmandKeyHash } : {}) } });
  }
  return [...byVehicle.values()];
}

interface Desired {
  jt808: Jt808Binding | null;
  osmand: { deviceId: string; key: 'keep' | 'new' | 'reported' } | null;
  /** The version the admin edited; undefined: whatever is stored (one action on the current binding). */
  version?: number;
  move: boolean;
}

export class TerminalBindings {
  constructor(
    private readonly store: LiveStore,
    readonly directory: TerminalDirectory,
    private readonly clock: () => number,
  ) {}

  /** Seeds the store from terminals.json when its set was never written; true when this call did. */
  async seed(county: Pick<County, 'terminals' | 'osmandDevices'>): Promise<boolean> {
    const vehicles = seedFromCounty(county, this.clock());
    const done = await updateBindings(this.store.terminals, (set) =>
      set.version === 0 && vehicles.length > 0 ? { writes: vehicles.map((b) => ({ ambulanceId: b.ambulanceId, binding: b })), result: true } : { result: false },
    );
    return done !== 'conflict' && done.result;
  }

  /** Every vehicle on the board, with its terminals, and bindings of vehicles no longer on it. */
  async list(): Promise<{ version: number; vehicles: VehicleTerminalsView[] }> {
    const [set, snapshot] = await Promise.all([this.store.terminals.bindingSet(), this.store.snapshot()]);
    const units = snapshot.collections.ambulances;
    const ids = new Set([...Object.keys(units), ...set.vehicles.keys()]);
    const vehicles = [...ids].sort().map((id) => viewOf(id, set.vehicles.get(id), units[id]));
    return { version: set.version, vehicles };
  }

  async unknown(): Promise<UnknownTerminal[]> {
    return (await this.store.terminals.unknownTerminals()).filter((u) => !this.directory.isBound(u.kind, u.identity)).map(publicUnknown);
  }

  /** PUT: the vehicle's terminals as the admin wants them (both null: unbound). */
  async bind(ambulanceId: string, request: BindTerminalsRequest, by: string): Promise<BindingOutcome> {
    return this.change(ambulanceId, { ...request }, by);
  }

  async unbind(ambulanceId: string, version: number, by: string): Promise<BindingOutcome> {
    return this.change(ambulanceId, { jt808: null, osmand: null, version, move: false }, by);
  }

  /** An unknown terminal bound to a vehicle in one action, with the identity it reported (and, for OsmAnd, its key). */
  async bindUnknown(request: BindUnknownRequest, by: string): Promise<BindingOutcome> {
    const listed = (await this.store.terminals.unknownTerminals()).find(
      (u) => u.kind === request.kind && (u.kind === 'jt808' ? jt808Key(u.identity) === jt808Key(request.identity) : u.identity === request.identity),
    );
    if (!listed) return { ok: false, error: 'not-found', message: `未知终端 ${request.identity} 不在列表中 (no such unknown terminal)` };
    const current = (await this.store.terminals.bindingSet()).vehicles.get(request.ambulanceId);
    const keep = current?.osmand ? { deviceId: current.osmand.deviceId, key: 'keep' as const } : null;
    const desired: Desired =
      listed.kind === 'jt808'
        ? {
            jt808: { phone: listed.identity, ...(listed.terminalId ? { terminalId: listed.terminalId } : listed.plate ? { plate: listed.plate } : {}) },
            osmand: keep,
            move: request.move,
          }
        : { jt808: current?.jt808 ?? null, osmand: { deviceId: listed.identity, key: listed.keyHash ? 'reported' : 'new' }, move: request.move };
    return this.change(request.ambulanceId, desired, by, listed);
  }

  private async change(ambulanceId: string, desired: Desired, by: string, reported?: StoredUnknownTerminal): Promise<BindingOutcome> {
    const unit = await this.store.get('ambulances', ambulanceId);
    if (!unit && (desired.jt808 || desired.osmand)) return { ok: false, error: 'not-found', message: `车辆 ${ambulanceId} 不存在 (no such vehicle)` };
    let key: string | undefined;
    let keyHashReported: string | undefined;
    if (desired.osmand?.key === 'new') key = randomBytes(24).toString('base64url');
    if (desired.osmand?.key === 'reported') {
      keyHashReported = (reported ?? (await this.store.terminals.unknownTerminals()).find((u) => u.kind === 'osmand' && u.identity === desired.osmand!.deviceId))?.keyHash;
      if (!keyHashReported)
        return { ok: false, error: 'invalid', message: `设备 ${desired.osmand.deviceId} 未上报过密钥，请选择生成新密钥 (the phone never reported a key: make a new one)` };
    }
    const at = this.clock();
    const done = await updateBindings<{ refusal: Refusal } | { moved: string[]; stored: StoredVehicleTerminals | undefined }>(this.store.terminals, (set) => {
      const planned = plan(set, ambulanceId, desired, { at, by, key, keyHashReported });
      return 'refusal' in planned ? { result: planned } : { writes: planned.writes, result: { moved: planned.moved, stored: planned.stored } };
    });
    if (done === 'conflict') return { ok: false, error: 'conflict', message: '终端绑定正被频繁修改，请稍后重试 (the bindings kept changing: try again)' };
    if ('refusal' in done.result) return done.result.refusal;
    await this.directory.reload(this.store.terminals);
    // Bound now: no longer unknown.
    if (desired.jt808) await this.store.terminals.forgetUnknown('jt808', desired.jt808.phone);
    if (desired.osmand) await this.store.terminals.forgetUnknown('osmand', desired.osmand.deviceId);
    return { ok: true, value: { vehicle: viewOf(ambulanceId, done.result.stored, unit), moved: done.result.moved }, ...(key ? { key } : {}) };
  }
}

const identityOf = (kind: TerminalKind, b: StoredVehicleTerminals): string | null => (kind === 'jt808' ? (b.jt808 ? jt808Key(b.jt808.phone) : null) : (b.osmand?.deviceId ?? null));

/** The writes a change makes to the set as read, or why it is refused. Pure. */
export function plan(
  set: TerminalBindingSet,
  ambulanceId: string,
  desired: Desired,
  meta: { at: number; by: string; key?: string | undefined; keyHashReported?: string | undefined },
): { refusal: Refusal } | { writes: BindingWrite[]; moved: string[]; stored: StoredVehicleTerminals | undefined } {
  const current = set.vehicles.get(ambulanceId);
  if (desired.version !== undefined && desired.version !== (current?.version ?? 0)) {
    return { refusal: { ok: false, error: 'conflict', message: `车辆 ${ambulanceId} 的终端绑定已被修改，请刷新后重试 (changed since it was read: reload and try again)` } };
  }
  const wanted: [TerminalKind, string][] = [];
  if (desired.jt808) wanted.push(['jt808', jt808Key(desired.jt808.phone)]);
  if (desired.osmand) wanted.push(['osmand', desired.osmand.deviceId]);
  const owners = new Map<string, TerminalKind[]>();
  for (const [kind, identity] of wanted) {
    const owner = [...set.vehicles.values()].find((b) => b.ambulanceId !== ambulanceId && identityOf(kind, b) === identity);
    if (!owner) continue;
    if (!desired.move) {
      const what = kind === 'jt808' ? `终端 ${identity}` : `OsmAnd 设备 ${identity}`;
      return {
        refusal: {
          ok: false,
          error: 'conflict',
          owner: owner.ambulanceId,
          message: `${what} 已绑定到车辆 ${owner.ambulanceId}，如需改绑请确认移动 (bound to ${owner.ambulanceId}: confirm the move)`,
        },
      };
    }
    owners.set(owner.ambulanceId, [...(owners.get(owner.ambulanceId) ?? []), kind]);
  }
  let osmand: StoredVehicleTerminals['osmand'] = null;
  if (desired.osmand) {
    const { deviceId, key } = desired.osmand;
    const had = [current, ...[...owners.keys()].map((id) => set.vehicles.get(id))].find((b) => b?.osmand?.deviceId === deviceId)?.osmand?.keyHash;
    const keyHash = key === 'new' ? (meta.key ? sha256(meta.key) : undefined) : key === 'reported' ? meta.keyHashReported : had;
    osmand = { deviceId, ...(keyHash ? { keyHash } : {}) };
  }
  const writes: BindingWrite[] = [];
  for (const [id, kinds] of owners) {
    const b = set.vehicles.get(id)!;
    const left = {
      ...b,
      jt808: kinds.includes('jt808') ? null : b.jt808,
      osmand: kinds.includes('osmand') ? null : b.osmand,
      version: b.version + 1,
      updatedAt: meta.at,
      updatedBy: meta.by,
    };
    // Kept with nothing bound rather than removed: its version goes on, so an edit of what it was is refused.
    writes.push({ ambulanceId: id, binding: left });
  }
  const next: StoredVehicleTerminals = { ambulanceId, jt808: desired.jt808, osmand, version: (current?.version ?? 0) + 1, updatedAt: meta.at, updatedBy: meta.by };
  if (!next.jt808 && !next.osmand && !current?.jt808 && !current?.osmand) return { writes: [], moved: [], stored: current };
  writes.push({ ambulanceId, binding: next });
  return { writes, moved: [...owners.keys()], stored: next };
}
