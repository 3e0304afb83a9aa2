// The in-process store: everything in this process's memory, one part per concern
// (memory/*.ts) composed into one LiveStore (compose.ts). It gives up what Redis gives:
// sharing state between server processes and keeping it after exit.
import { ComposedStore } from './compose.ts';
import { MemoryAccounts } from './memory/accounts.ts';
import { MemoryAuditLog } from './memory/audit.ts';
import { MemoryClaims } from './memory/claims.ts';
import { MemoryDocuments } from './memory/documents.ts';
import { MemoryHistory } from './memory/history.ts';
import { MemoryLiveState } from './memory/live-state.ts';
import { MemorySets } from './memory/sets.ts';
import { MemoryTerminalStore } from './memory/terminals.ts';
import { MemoryTownSets } from './memory/towns.ts';

export interface MemoryStoreOptions {
  /** How many deltas the event log keeps for resuming clients. */
  eventRetention?: number;
}

export class MemoryStore extends ComposedStore {
  readonly #accounts: MemoryAccounts;

  constructor(options: MemoryStoreOptions = {}) {
    const live = new MemoryLiveState(options.eventRetention ?? 10_000);
    const accounts = new MemoryAccounts();
    const sets = new MemorySets(live);
    super({
      kind: 'memory',
      live,
      accounts,
      sets,
      towns: new MemoryTownSets(),
      history: new MemoryHistory(),
      documents: new MemoryDocuments(),
      audit: new MemoryAuditLog(),
      claims: new MemoryClaims(),
      terminals: new MemoryTerminalStore(),
      ping: async () => true,
      close: async () => {
        live.close();
        accounts.close();
        sets.close();
      },
    });
    this.#accounts = accounts;
  }

  /** The keys sessions are kept under (for tests: never a token). */
  sessionKeys(): string[] {
    return this.#accounts.sessionKeys();
  }
}
