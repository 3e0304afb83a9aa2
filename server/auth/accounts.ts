// Demo accounts on first start, and signing in.
import type { Role } from '../schema/index.ts';
import type { LiveStore, StoredSession } from '../store/store.ts';
import { hashPassword, newToken, verifyPassword } from './passwords.ts';

export const DEMO_ROLES: Role[] = ['admin', 'commander', 'dispatcher', 'field', 'wall'];

/** Creates one account per role, named after it, when the store has no accounts at all. */
export async function ensureDemoAccounts(
  store: LiveStore,
  password: string | undefined,
  now: number,
  /** The demo field lead's own sampling points. */
  fieldPoints: string[] = [],
): Promise<boolean> {
  if ((await store.countUsers()) > 0) return false;
  if (!password) {
    throw new Error('the store has no accounts and DEMO_PASSWORD is not set: refusing to start in production without it');
  }
  // Two processes starting together on an empty Redis: only one creates the accounts.
  if (!(await store.claimOnce('demo-accounts'))) return false;
  for (const role of DEMO_ROLES) {
    const { passwordHash, salt } = await hashPassword(password);
    await store.putUser({ username: role, role, passwordHash, salt, disabled: false, createdAt: now, ...(role === 'field' ? { samplingPoints: fieldPoints } : {}) });
  }
  return true;
}

/**
 * The demo accounts that still sign in with `password` (the published demo password):
 * production refuses to start while there is one.
 */
export async function accountsOnPassword(store: LiveStore, password: string): Promise<string[]> {
  const found: string[] = [];
  for (const username of DEMO_ROLES) {
    const user = await store.getUser(username);
    if (user && !user.disabled && (await verifyPassword(password, user.passwordHash, user.salt))) found.push(username);
  }
  return found;
}

export interface SessionTtls {
  sessionTtlMs: number;
  wallSessionTtlMs: number;
}

/** Checks the password and opens a session; undefined for any failure (never says which). */
export async function signIn(
  store: LiveStore,
  username: string,
  password: string,
  ttls: SessionTtls,
  now: number,
): Promise<StoredSession | undefined> {
  const user = await store.getUser(username);
  if (!user || user.disabled) return undefined;
  if (!(await verifyPassword(password, user.passwordHash, user.salt))) return undefined;
  // The wall signs in once and stays signed in.
  const ttl = user.role === 'wall' ? ttls.wallSessionTtlMs : ttls.sessionTtlMs;
  const session: StoredSession = { token: newToken(), username: user.username, role: user.role, expiresAt: now + ttl };
  await store.putSession(session, now);
  return session;
}
