// Demo accounts on first start, and signing in.
import type { Role } from '../schema/index.ts';
import type { LiveStore, StoredSession } from '../store/store.ts';
import { randomBytes } from 'node:crypto';
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
 * Every account (not only the five demo ones) that still signs in with `password` (the
 * published demo password): production refuses to start while there is one. Checked a
 * few at a time (scrypt runs on libuv's thread pool).
 */
export async function accountsOnPassword(store: LiveStore, password: string): Promise<string[]> {
  const users = (await store.listUsers()).filter((u) => !u.disabled);
  const found: string[] = [];
  for (let i = 0; i < users.length; i += 4) {
    const batch = users.slice(i, i + 4);
    const hits = await Promise.all(batch.map((u) => verifyPassword(password, u.passwordHash, u.salt)));
    batch.forEach((u, j) => hits[j] && found.push(u.username));
  }
  return found;
}

export interface SessionTtls {
  sessionTtlMs: number;
  wallSessionTtlMs: number;
}

/**
 * What an unknown or disabled account is checked against: a hash no password matches, of
 * the same length and scrypt parameters, so every refusal costs one scrypt like a wrong
 * password does (the time taken tells no username).
 */
const DUMMY = { passwordHash: randomBytes(32).toString('base64'), salt: randomBytes(16).toString('base64') };

/**
 * Checks the password and opens a session; undefined for any failure (never says which).
 * Exactly one password verification per call, whatever the account (`verify`: injectable for tests).
 */
export async function signIn(
  store: LiveStore,
  username: string,
  password: string,
  ttls: SessionTtls,
  now: number,
  verify: typeof verifyPassword = verifyPassword,
): Promise<StoredSession | undefined> {
  const user = await store.getUser(username);
  const usable = user && !user.disabled ? user : undefined;
  const matches = await verify(password, usable?.passwordHash ?? DUMMY.passwordHash, usable?.salt ?? DUMMY.salt);
  if (!usable || !matches) return undefined;
  // The wall signs in once and stays signed in.
  const ttl = usable.role === 'wall' ? ttls.wallSessionTtlMs : ttls.sessionTtlMs;
  // The session carries the account's epoch as read before the password was checked: an
  // admin's disable, role change or reset meanwhile moved it on, and the session is dead.
  const session: StoredSession = { token: newToken(), username: usable.username, role: usable.role, expiresAt: now + ttl, epoch: usable.epoch ?? 0 };
  await store.putSession(session, now);
  // Say so now rather than hand out a token that fails on first use.
  return (await store.getSession(session.token, now)) ? session : undefined;
}
