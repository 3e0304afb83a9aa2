// Accounts and sessions in this process's memory. Sessions are kept by sessionId(token):
// the token itself is never kept. Each compare-and-set is one synchronous step.
import { Listeners } from '../listeners.ts';
import { sessionId, sessionValid, type Accounts, type Revoked, type RevokedListener, type StoredSession, type StoredUser } from '../store.ts';

export class MemoryAccounts implements Accounts {
  readonly #users = new Map<string, StoredUser>();
  readonly #sessions = new Map<string, Omit<StoredSession, 'token'>>();
  readonly #revoked = new Listeners<Revoked>();

  async getUser(username: string): Promise<StoredUser | undefined> {
    const user = this.#users.get(username);
    return user && { ...user };
  }

  async putUser(user: StoredUser): Promise<void> {
    this.#users.set(user.username, { ...user });
  }

  async addUser(user: StoredUser): Promise<boolean> {
    if (this.#users.has(user.username)) return false;
    this.#users.set(user.username, { ...user });
    return true;
  }

  async updateUser(username: string, update: (current: StoredUser | undefined) => StoredUser | null): Promise<StoredUser | null | 'conflict'> {
    // Read, compute and write in one synchronous step: nothing can interleave.
    const current = this.#users.get(username);
    const next = update(current && { ...current });
    if (!next) return null;
    const written = { ...next, username, version: (current?.version ?? 0) + 1 };
    this.#users.set(username, written);
    return { ...written };
  }

  async countUsers(): Promise<number> {
    return this.#users.size;
  }

  async listUsers(): Promise<StoredUser[]> {
    return [...this.#users.values()].map((u) => ({ ...u })).sort((a, b) => a.username.localeCompare(b.username));
  }

  async putSession(session: StoredSession, _now: number): Promise<void> {
    const { token, ...kept } = session;
    this.#sessions.set(sessionId(token), kept);
  }

  async getSession(token: string, now: number): Promise<StoredSession | undefined> {
    const id = sessionId(token);
    const kept = this.#sessions.get(id);
    if (!kept) return undefined;
    if (kept.expiresAt <= now) {
      this.#sessions.delete(id);
      return undefined;
    }
    const session = { ...kept, token };
    return sessionValid(session, this.#users.get(kept.username), now) ? session : undefined;
  }

  async deleteSession(token: string): Promise<void> {
    const id = sessionId(token);
    this.#sessions.delete(id);
    this.#revoked.emit({ sessionId: id });
  }

  /** The keys sessions are kept under (for tests: never a token). */
  sessionKeys(): string[] {
    return [...this.#sessions.keys()];
  }

  async revokeSessions(username: string, now: number): Promise<number> {
    let open = 0;
    for (const [id, session] of this.#sessions) {
      if (session.username !== username) continue;
      if (session.expiresAt > now) open++;
      this.#sessions.delete(id);
    }
    this.#revoked.emit({ username });
    return open;
  }

  async onRevoked(listener: RevokedListener): Promise<() => void> {
    return this.#revoked.add(listener);
  }

  close(): void {
    this.#revoked.clear();
  }
}
