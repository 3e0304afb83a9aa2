// Every key this board keeps in a device's localStorage. The prefix is the board's first
// name, kept as it was so that a signed-in wall, a tablet's towns and its unsent outbox
// survive an upgrade (renaming it would need every key read under the old name once).
const PREFIX = 'guazhou-board.';

export const storageKey = (name: string): string => `${PREFIX}${name}`;
