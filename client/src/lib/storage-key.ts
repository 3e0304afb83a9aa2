// Every key this board keeps in a device's localStorage, under one prefix named for the
// product, not for a county. Keys written by builds before the rename (under the first
// sample county's name) are moved once, when this module loads, so a signed-in wall, a
// tablet's towns and its unsent outbox survive the upgrade; a key already written under
// the new prefix wins.
const PREFIX = 'epi-board.';
const EARLIER_PREFIXES = ['guazhou-board.'];

export const storageKey = (name: string): string => `${PREFIX}${name}`;

/** Moves the keys under an earlier prefix to the current one (exported for the test). */
export function moveEarlierKeys(storage: Storage): number {
  let moved = 0;
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) keys.push(storage.key(i)!);
  for (const key of keys) {
    const earlier = EARLIER_PREFIXES.find((p) => key.startsWith(p));
    if (!earlier) continue;
    const now = PREFIX + key.slice(earlier.length);
    const value = storage.getItem(key);
    if (value !== null && storage.getItem(now) === null) {
      storage.setItem(now, value);
      moved++;
    }
    storage.removeItem(key);
  }
  return moved;
}

try {
  if (typeof localStorage !== 'undefined') moveEarlierKeys(localStorage);
} catch {
  // Storage refused (a private window, full): nothing to move.
}
