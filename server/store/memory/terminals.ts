// Vehicle terminals in this process's memory (see terminal-store.ts): for the in-process store.
import type { StoredUnknownTerminal, StoredVehicleTerminals, TerminalKind } from '../../schema/terminals.ts';
import { mergeUnknown, unknownField, type BindingWrite, type TerminalBindingSet, type TerminalStore } from '../terminal-store.ts';
import { Listeners } from '../listeners.ts';

export class MemoryTerminalStore implements TerminalStore {
  private version = 0;
  private readonly vehicles = new Map<string, StoredVehicleTerminals>();
  private readonly listeners = new Listeners<number>();
  private readonly unknown = new Map<string, StoredUnknownTerminal>();

  async bindingSet(): Promise<TerminalBindingSet> {
    return { version: this.version, vehicles: new Map([...this.vehicles].map(([id, b]) => [id, structuredClone(b)])) };
  }

  async bindingSetVersion(): Promise<number> {
    return this.version;
  }

  async writeBindings(expected: number, writes: BindingWrite[]): Promise<number | 'conflict'> {
    if (expected !== this.version) return 'conflict';
    for (const { ambulanceId, binding } of writes) {
      if (binding) this.vehicles.set(ambulanceId, structuredClone(binding));
      else this.vehicles.delete(ambulanceId);
    }
    const version = ++this.version;
    // As Redis does: listeners hear it after the writer's answer.
    this.listeners.emitLater(version);
    return version;
  }

  async onBindings(listener: (version: number) => void): Promise<() => void> {
    return this.listeners.add(listener);
  }

  async recordUnknown(entry: StoredUnknownTerminal, cap: number): Promise<void> {
    const field = unknownField(entry.kind, entry.identity);
    const merged = mergeUnknown(this.unknown.get(field), structuredClone(entry));
    this.unknown.set(field, merged);
    // As Redis's sorted set does: the least recently seen go first.
    while (this.unknown.size > cap) {
      let oldest: [string, number] | null = null;
      for (const [f, u] of this.unknown) if (!oldest || u.lastSeen < oldest[1]) oldest = [f, u.lastSeen];
      this.unknown.delete(oldest![0]);
    }
  }

  async unknownTerminals(): Promise<StoredUnknownTerminal[]> {
    return [...this.unknown.values()].map((u) => structuredClone(u)).sort((a, b) => b.lastSeen - a.lastSeen);
  }

  async forgetUnknown(kind: TerminalKind, identity: string): Promise<boolean> {
    return this.unknown.delete(unknownField(kind, identity));
  }
}
