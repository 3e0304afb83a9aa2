// Documents (the daily reports) in this process's memory: kind → id → JSON.
import type { Documents } from '../store.ts';

export class MemoryDocuments implements Documents {
  readonly #documents = new Map<string, Map<string, string>>();

  async putDocument(kind: string, id: string, json: string): Promise<void> {
    const docs = this.#documents.get(kind) ?? new Map<string, string>();
    docs.set(id, json);
    this.#documents.set(kind, docs);
  }

  async getDocument(kind: string, id: string): Promise<string | undefined> {
    return this.#documents.get(kind)?.get(id);
  }

  async getDocuments(kind: string): Promise<{ id: string; json: string }[]> {
    return [...(this.#documents.get(kind) ?? new Map<string, string>())].map(([id, json]) => ({ id, json })).sort((a, b) => a.id.localeCompare(b.id));
  }
}
