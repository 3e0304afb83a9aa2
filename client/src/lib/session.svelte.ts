// Who is signed in. The token lives in localStorage so a wall display survives reloads;
// any 401 from the API or the socket signs out, which sends the UI back to sign-in.
// The sign-out button ends the session on the server first (logOut).
import type { LoginResponse } from '../../../server/schema/index.ts';
import { api, ApiError, configureApi } from './api.ts';
import { storageKey } from './storage-key.ts';

const STORAGE_KEY = storageKey('session');

function load(): LoginResponse | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const saved = JSON.parse(raw) as LoginResponse;
    if (typeof saved.token !== 'string' || saved.expiresAt <= Date.now()) return null;
    return saved;
  } catch {
    return null;
  }
}

class Session {
  current = $state<LoginResponse | null>(load());

  constructor() {
    configureApi({ token: this.current?.token ?? null, onUnauthorized: () => this.signOut() });
  }

  get token(): string | null {
    return this.current?.token ?? null;
  }

  get user(): LoginResponse['user'] | null {
    return this.current?.user ?? null;
  }

  async signIn(username: string, password: string): Promise<void> {
    const res = await api<LoginResponse>('/api/auth/login', {
      method: 'POST',
      body: { username, password },
      auth: false,
    });
    localStorage.setItem(STORAGE_KEY, JSON.stringify(res));
    configureApi({ token: res.token });
    this.current = res;
  }

  /**
   * Signing out: the server ends the session first (every screen on it, at once); only then
   * is it forgotten here. Should the server not answer, the error is thrown and the user
   * stays signed in (a token left working on a shared screen is worse than a retry).
   * A 401 means the session had ended already: api() has signed out locally.
   */
  async logOut(): Promise<void> {
    try {
      await api<void>('/api/auth/logout', { method: 'POST' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return;
      throw err;
    }
    this.signOut();
  }

  /** Forgets the session here only (the server refused it already). */
  signOut(): void {
    localStorage.removeItem(STORAGE_KEY);
    configureApi({ token: null });
    this.current = null;
  }
}

export const session = new Session();

/** A sign-out button's state: under way, or failed (the screen then stays signed in and says so). */
export class SignOut {
  busy = $state(false);
  failed = $state(false);
  run = async (): Promise<void> => {
    this.busy = true;
    this.failed = false;
    try {
      await session.logOut();
    } catch {
      this.failed = true;
    } finally {
      this.busy = false;
    }
  };
}
