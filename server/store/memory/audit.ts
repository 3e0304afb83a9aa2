// The audit log in this process's memory: entries oldest first, ids `<at>-<n>` in time order.
import type { AuditLog } from '../store.ts';

export class MemoryAuditLog implements AuditLog {
  #entries: { id: string; at: number; json: string }[] = [];
  #counter = 0;

  async appendAudit(json: string, at: number, retentionMs: number, maxEntries?: number): Promise<string> {
    const id = `${at}-${this.#counter++}`;
    this.#entries.push({ id, at, json });
    this.#entries = this.#entries.filter((e) => e.at >= at - retentionMs);
    if (maxEntries !== undefined && this.#entries.length > maxEntries) this.#entries = this.#entries.slice(-maxEntries);
    return id;
  }

  async auditPage(limit: number, before?: string): Promise<{ id: string; json: string }[]> {
    const newestFirst = [...this.#entries].reverse();
    const start = before === undefined ? 0 : newestFirst.findIndex((e) => e.id === before) + 1;
    return newestFirst.slice(start, start + limit).map(({ id, json }) => ({ id, json }));
  }
}
