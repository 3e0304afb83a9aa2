// The alert lifecycle: every few seconds the rules (domain/alert-rules.ts) are run
// over the live state; a condition with no open alert raises one, an open alert whose
// condition cleared is resolved by the board, and people acknowledge or resolve by
// hand with a reason. One alert per condition (kind and subject): its id comes from
// the condition, so two server processes evaluating at once cannot raise it twice.
// Alerts are live entities: they reach every screen over the real-time path and live
// in the store.
import { createHash } from 'node:crypto';
import { alertCandidates, type AlertCandidate, type AlertThresholds } from '../domain/alert-rules.ts';
import { Alert, type Change } from '../schema/index.ts';
import type { Outcome } from '../schema/outcome.ts';
import type { LiveStore } from '../store/store.ts';

export const alertIdOf = (key: string): string => `AL-${createHash('sha1').update(key).digest('hex').slice(0, 16)}`;

/** An open alert's text is refreshed at most this often (queues change all the time). */
const REFRESH_MS = 60_000;

export type AlertOutcome = Outcome<Alert, 'not-found' | 'conflict'>;

export class Alerts {
  /** Conditions found by services rather than from the live state alone (coverage needs the roads). */
  private readonly sources: (() => Promise<AlertCandidate[]>)[] = [];

  constructor(
    private readonly store: LiveStore,
    private readonly clock: () => number,
    private readonly thresholds: AlertThresholds,
  ) {}

  addSource(source: () => Promise<AlertCandidate[]>): void {
    this.sources.push(source);
  }

  /** Runs the rules once: raises, refreshes and resolves. Returns what it changed. */
  async evaluate(): Promise<{ raised: string[]; resolved: string[] }> {
    const now = this.clock();
    const { collections } = await this.store.snapshot();
    const found = alertCandidates(collections, now, this.thresholds);
    for (const source of this.sources) found.push(...(await source()));
    const candidates = new Map<string, AlertCandidate>(found.map((c) => [alertIdOf(c.key), c]));
    const touched = new Set<string>();
    for (const id of candidates.keys()) touched.add(id);
    for (const a of Object.values(collections.alerts)) {
      const waiting = a.status !== 'resolved' || (a.resolved?.by !== 'auto' && !a.conditionCleared);
      if (waiting && !candidates.has(a.id)) touched.add(a.id);
    }
    const raised: string[] = [];
    const resolved: string[] = [];
    if (touched.size === 0) return { raised, resolved };
    const ids = [...touched];
    await this.store.updateMany(
      ids.map((id) => ({ collection: 'alerts' as const, id })),
      (current) => {
        raised.length = 0;
        resolved.length = 0;
        const changes: Change[] = [];
        ids.forEach((id, i) => {
          const existing = current[i] as Alert | undefined;
          const c = candidates.get(id);
          const open = existing && existing.status !== 'resolved';
          // Resolved by hand while the condition held: not again until it has cleared.
          const suppressed = existing?.status === 'resolved' && existing.resolved?.by !== 'auto' && !existing.conditionCleared;
          if (c && !open && !suppressed) {
            raised.push(id);
            changes.push({
              op: 'upsert',
              collection: 'alerts',
              entity: Alert.parse({
                id,
                kind: c.kind,
                severity: c.severity,
                message: c.message,
                rule: c.rule,
                figures: c.figures,
                terms: c.terms,
                subject: c.subject,
                ...(c.gridId !== undefined ? { gridId: c.gridId } : {}),
                ...(c.town !== undefined ? { town: c.town } : {}),
                status: 'open',
                raisedAt: now,
                updatedAt: now,
                acknowledged: null,
                resolved: null,
              }),
            });
          } else if (c && existing && existing.message !== c.message && now - existing.updatedAt >= REFRESH_MS) {
            changes.push({ op: 'upsert', collection: 'alerts', entity: { ...existing, message: c.message, rule: c.rule, figures: c.figures, terms: c.terms, updatedAt: now } });
          } else if (!c && existing && suppressed) {
            changes.push({ op: 'upsert', collection: 'alerts', entity: { ...existing, conditionCleared: true, updatedAt: now } });
          } else if (!c && existing && open) {
            resolved.push(id);
            changes.push({
              op: 'upsert',
              collection: 'alerts',
              entity: { ...existing, status: 'resolved', resolved: { by: 'auto', at: now, reason: '条件已解除 (condition cleared)' }, updatedAt: now },
            });
          }
        });
        return changes.length ? changes : null;
      },
      now,
    );
    return { raised, resolved };
  }

  acknowledge(id: string, by: string): Promise<AlertOutcome> {
    return this.change(id, (a, now) => (a.status === 'open' ? { ...a, status: 'acknowledged', acknowledged: { by, at: now }, updatedAt: now } : `alert is ${a.status}`));
  }

  resolve(id: string, by: string, reason: string): Promise<AlertOutcome> {
    return this.change(id, (a, now) => (a.status !== 'resolved' ? { ...a, status: 'resolved', resolved: { by, at: now, reason }, updatedAt: now } : 'alert is already resolved'));
  }

  private async change(id: string, step: (a: Alert, now: number) => Alert | string): Promise<AlertOutcome> {
    const now = this.clock();
    let outcome: AlertOutcome = { ok: false, error: 'not-found', message: `alerts/${id} does not exist` };
    await this.store.update(
      'alerts',
      id,
      (a) => {
        if (!a) return null;
        const next = step(a, now);
        if (typeof next === 'string') {
          outcome = { ok: false, error: 'conflict', message: next };
          return null;
        }
        outcome = { ok: true, value: next };
        return [{ op: 'upsert', collection: 'alerts', entity: next }];
      },
      now,
    );
    return outcome;
  }
}
