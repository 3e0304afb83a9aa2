// Who is signed in. The token lives in localStorage so a wall display survives reloads;
// any 401 from the API or the socket signs out, which sends the UI back to sign-in.
import type { LoginResponse } from '../../../server/schema/index.ts';
import { api, configureApi } from './api.ts';

const STORAGE_KEY = 'guazhou-board.session';

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

  signOut(): void {
    localStorage.removeItem(STORAGE_KEY);
    configureApi({ token: null });
    this.current = null;
  }
}

export const session = new Session();
