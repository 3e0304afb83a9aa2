// The board's localStorage keys moved from the first sample county's name to the product's:
// what an earlier build left (a wall's session, a tablet's unsent outbox) is moved once and
// kept; a key already written under the new name wins; a full storage loses nothing.
import { describe, expect, it } from 'vitest';
import { moveEarlierKeys, storageKey } from '../../client/src/lib/storage-key.ts';

class MemoryStorage implements Storage {
  readonly items = new Map<string, string>();
  constructor(private readonly capacity = Infinity) {}
  get length() {
    return this.items.size;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (!this.items.has(k) && this.items.size >= this.capacity) throw new DOMException('full', 'QuotaExceededError');
    this.items.set(k, v);
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
  clear() {
    this.items.clear();
  }
}

describe('storage keys', () => {
  it('names no county', () => {
    expect(storageKey('session')).toBe('epi-board.session');
  });

  it('moves what an earlier build wrote, once, and leaves other sites’ keys alone', () => {
    const s = new MemoryStorage();
    s.setItem('guazhou-board.session', '{"token":"t"}');
    s.setItem('guazhou-board.field-outbox', '[{"opId":"a"}]');
    s.setItem('other-app.x', '1');
    expect(moveEarlierKeys(s)).toBe(2);
    expect(Object.fromEntries(s.items)).toEqual({ 'epi-board.session': '{"token":"t"}', 'epi-board.field-outbox': '[{"opId":"a"}]', 'other-app.x': '1' });
    expect(moveEarlierKeys(s)).toBe(0);
  });

  it('keeps the newer key where both exist', () => {
    const s = new MemoryStorage();
    s.setItem('epi-board.session', 'new');
    s.setItem('guazhou-board.session', 'old');
    expect(moveEarlierKeys(s)).toBe(0);
    expect(Object.fromEntries(s.items)).toEqual({ 'epi-board.session': 'new' });
  });

  it('loses nothing when the storage is full: the earlier key stays', () => {
    const s = new MemoryStorage(1);
    s.setItem('guazhou-board.field-outbox', '[{"opId":"a"}]');
    expect(() => moveEarlierKeys(s)).toThrow();
    expect(s.getItem('guazhou-board.field-outbox')).toBe('[{"opId":"a"}]');
  });
});
