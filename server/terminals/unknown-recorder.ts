// Terminals reporting with an identity no vehicle holds are listed for admins to bind. A device
// may send a frame a second (or a flood of made-up identities may arrive), so the store is not
// written on every message: each identity is written at most once per `throttleMs` by this process
// (its messages counted meanwhile and added with the next write), at most `writesPerInterval`
// writes go out per interval in all, and this process tracks at most `maxTracked` identities
// (the least recently seen forgotten first). The store keeps the `cap` most recently seen.
import type { StoredUnknownTerminal, TerminalKind } from '../schema/terminals.ts';
import { unknownField, type TerminalStore } from '../store/terminal-store.ts';

export interface Sighting {
  kind: TerminalKind;
  identity: string;
  remote: string;
  lastMessage: string;
  lastPosition?: { lng: number; lat: number; at: number } | null;
  terminalId?: string | null;
  plate?: string | null;
  /** The SHA-256 (hex) of the key an OsmAnd phone sent. */
  keyHash?: string;
}

export interface UnknownRecorderOptions {
  throttleMs: number;
  cap: number;
  maxTracked: number;
  writesPerInterval: number;
}

export const DEFAULT_UNKNOWN_RECORDER: UnknownRecorderOptions = { throttleMs: 5000, cap: 200, maxTracked: 2000, writesPerInterval: 50 };

interface Tracked {
  /** What will be written next: the sightings since the last write, merged. */
  pending: StoredUnknownTerminal | null;
  lastWrite: number;
}

const clip = (text: string | null | undefined, max: number): string | null => (text ? text.slice(0, max) : null);

export class UnknownRecorder {
  readonly options: UnknownRecorderOptions;
  private readonly tracked = new Map<string, Tracked>();
  private readonly timer: NodeJS.Timeout;
  private writes = 0;
  private inFlight = new Set<Promise<void>>();
  /** Sightings not written because of the overall write budget (counted in /metrics). */
  deferred = 0;

  constructor(
    private readonly store: TerminalStore,
    private readonly clock: () => number,
    /** Whether the identity is bound now (a sighting pending when it was bound is dropped). */
    private readonly isBound: (kind: TerminalKind, identity: string) => boolean,
    private readonly onError: (err: unknown) => void,
    options: Partial<UnknownRecorderOptions> = {},
  ) {
    this.options = { ...DEFAULT_UNKNOWN_RECORDER, ...options };
    this.timer = setInterval(() => this.flush(), this.options.throttleMs);
    this.timer.unref();
  }

  note(s: Sighting): void {
    const now = this.clock();
    const field = unknownField(s.kind, s.identity);
    const seen: StoredUnknownTerminal = {
      kind: s.kind,
      identity: s.identity.slice(0, 64),
      firstSeen: now,
      lastSeen: now,
      remote: s.remote.slice(0, 64),
      messages: 1,
      lastMessage: s.lastMessage.slice(0, 32),
      lastPosition: s.lastPosition ?? null,
      terminalId: clip(s.terminalId, 40),
      plate: clip(s.plate, 40),
      hasKey: !!s.keyHash,
      ...(s.keyHash ? { keyHash: s.keyHash } : {}),
    };
    const entry = this.tracked.get(field) ?? { pending: null, lastWrite: -Infinity };
    this.tracked.delete(field); // re-inserted: the map's order is the order of last sightings
    const p = entry.pending;
    entry.pending = p
      ? {
          ...seen,
          firstSeen: p.firstSeen,
          messages: p.messages + 1,
          lastPosition: seen.lastPosition ?? p.lastPosition,
          terminalId: seen.terminalId ?? p.terminalId,
          plate: seen.plate ?? p.plate,
          hasKey: seen.hasKey || p.hasKey,
          ...((seen.keyHash ?? p.keyHash) ? { keyHash: seen.keyHash ?? p.keyHash } : {}),
        }
      : seen;
    this.tracked.set(field, entry);
    while (this.tracked.size > this.options.maxTracked) this.tracked.delete(this.tracked.keys().next().value!);
    if (now - entry.lastWrite >= this.options.throttleMs) this.write(entry, now);
  }

  /** Writes every pending sighting whose identity was not written within the throttle (within the budget). */
  flush(): void {
    const now = this.clock();
    this.writes = 0;
    // The most recently seen first: when the budget runs out, the older ones wait.
    for (const entry of [...this.tracked.values()].reverse()) if (entry.pending && now - entry.lastWrite >= this.options.throttleMs) this.write(entry, now);
  }

  /** Resolves once the writes under way are done (tests, close). */
  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private write(entry: Tracked, now: number): void {
    const pending = entry.pending;
    if (!pending) return;
    if (this.isBound(pending.kind, pending.identity)) {
      entry.pending = null;
      return;
    }
    if (this.writes >= this.options.writesPerInterval) {
      this.deferred++;
      return;
    }
    this.writes++;
    entry.pending = null;
    entry.lastWrite = now;
    const done = this.store
      .recordUnknown(pending, this.options.cap)
      .catch(this.onError)
      .finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }
}
