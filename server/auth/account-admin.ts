// What admins do to accounts: create, change role, scope or status, reset a password,
// revoke sessions. Every change that alters what a session may do (disabled, another
// role, a new password) ends the account's sessions at once in every process. The
// county always keeps one usable admin, and an admin cannot lock themselves out.
// Every change is a compare-and-set of the account (store.updateUser): two admins, or a
// reset and a disable, at once both land, neither undoing the other. A change that ends
// sessions also moves the account's epoch on, which ends a session being opened at that
// very moment too (it carries the epoch read before its password was checked).
import type { AccountChange, AccountView, NewAccount } from '../schema/index.ts';
import type { ChangeRefusal, Outcome } from '../schema/outcome.ts';
import type { LiveStore, StoredUser } from '../store/store.ts';
import { hashPassword } from './passwords.ts';

/** Done with the number of sessions the change ended. */
export type AccountOutcome = Outcome<AccountView, ChangeRefusal, { revoked: number }>;

export function accountView(user: StoredUser): AccountView {
  return {
    username: user.username,
    role: user.role,
    disabled: user.disabled,
    createdAt: user.createdAt,
    samplingPoints: user.role === 'field' ? (user.samplingPoints ?? []) : [],
  };
}

const notFound = (username: string): AccountOutcome => ({ ok: false, error: 'not-found', message: `账户不存在: ${username}` });

async function unknownPoints(store: LiveStore, ids: string[]): Promise<string[]> {
  const found = await Promise.all(ids.map((id) => store.get('samplingPoints', id)));
  return ids.filter((_, i) => !found[i]);
}

/** A field lead's points must exist; other roles have none. */
async function checkScope(store: LiveStore, role: StoredUser['role'], points: string[] | undefined): Promise<AccountOutcome | null> {
  if (!points?.length) return null;
  if (role !== 'field') return { ok: false, error: 'invalid', message: '只有采样点负责人账户可以分配采样点' };
  const unknown = await unknownPoints(store, points);
  return unknown.length ? { ok: false, error: 'invalid', message: `采样点不存在: ${unknown.join(', ')}` } : null;
}

export async function listAccounts(store: LiveStore): Promise<AccountView[]> {
  return (await store.listUsers()).map(accountView);
}

export async function createAccount(store: LiveStore, input: NewAccount, now: number): Promise<AccountOutcome> {
  const refused = await checkScope(store, input.role, input.samplingPoints);
  if (refused) return refused;
  const { passwordHash, salt } = await hashPassword(input.password);
  const user: StoredUser = {
    username: input.username,
    role: input.role,
    passwordHash,
    salt,
    disabled: false,
    createdAt: now,
    ...(input.role === 'field' ? { samplingPoints: [...new Set(input.samplingPoints ?? [])] } : {}),
  };
  if (!(await store.addUser(user))) return { ok: false, error: 'conflict', message: `账户已存在: ${input.username}` };
  return { ok: true, value: accountView(user), revoked: 0 };
}

/** True when some admin other than `except` can still sign in. */
async function anotherAdmin(store: LiveStore, except: string): Promise<boolean> {
  return (await store.listUsers()).some((u) => u.role === 'admin' && !u.disabled && u.username !== except);
}

const conflict: AccountOutcome = { ok: false, error: 'conflict', message: '账户正被同时修改，请重试 (the account changed meanwhile: try again)' };
const nextEpoch = (user: StoredUser) => (user.epoch ?? 0) + 1;
const lastAdmin: AccountOutcome = { ok: false, error: 'conflict', message: '至少要保留一个可用的管理员账户' };

export async function changeAccount(store: LiveStore, username: string, change: AccountChange, actor: string, now: number): Promise<AccountOutcome> {
  const read = await store.getUser(username);
  if (!read) return notFound(username);
  // What needs reading elsewhere is read first; the account itself is decided on as written.
  const refused = await checkScope(store, change.role ?? read.role, change.samplingPoints);
  if (refused) return refused;
  const otherAdmin = await anotherAdmin(store, username);
  let outcome: AccountOutcome | null = null;
  let endsSessions = false;
  /** Set when this change takes a usable admin away (set in the callback: TS cannot follow it there). */
  const lost = { admin: false };
  const written = await store.updateUser(username, (user) => {
    if (!user) return ((outcome = notFound(username)), null);
    const role = change.role ?? user.role;
    const disabled = change.disabled ?? user.disabled;
    const losesAdmin = user.role === 'admin' && !user.disabled && (role !== 'admin' || disabled);
    if (losesAdmin && username === actor) return ((outcome = { ok: false, error: 'conflict', message: '不能停用自己的账户或取消自己的管理员角色' }), null);
    if (losesAdmin && !otherAdmin) return ((outcome = lastAdmin), null);
    lost.admin = losesAdmin;
    if (change.samplingPoints?.length && role !== 'field') return ((outcome = { ok: false, error: 'invalid', message: '只有采样点负责人账户可以分配采样点' }), null);
    // A session carries its role; a disabled account must not keep one. A new scope needs
    // no sign-out: each change to a point reads the account afresh.
    endsSessions = role !== user.role || (disabled && !user.disabled);
    const points = role === 'field' ? (change.samplingPoints ?? user.samplingPoints ?? []) : undefined;
    const next: StoredUser = { ...user, role, disabled, ...(endsSessions ? { epoch: nextEpoch(user) } : {}) };
    if (points) next.samplingPoints = [...new Set(points)];
    else delete next.samplingPoints;
    outcome = null;
    return next;
  });
  if (written === 'conflict') return conflict;
  if (!written) return outcome ?? notFound(username);
  // Two admins taking each other's admin at once both saw the other still usable: checked
  // again now that this change is written, and undone (compare-and-set) if it left none.
  if (lost.admin && !(await anotherAdmin(store, username))) {
    const version = written.version;
    // Only if nobody wrote it since; it was a usable admin (no sampling points) before.
    await store.updateUser(username, (user) => {
      if (!user || user.version !== version) return null;
      const { samplingPoints: _points, ...rest } = user;
      return { ...rest, role: 'admin', disabled: false };
    });
    return lastAdmin;
  }
  const revoked = endsSessions ? await store.revokeSessions(username, now) : 0;
  return { ok: true, value: accountView(written), revoked };
}

/** A new password; the account stays as it is otherwise (a disabled one stays disabled), its sessions end. */
export async function resetPassword(store: LiveStore, username: string, password: string, now: number): Promise<AccountOutcome> {
  if (!(await store.getUser(username))) return notFound(username);
  const hashed = await hashPassword(password);
  const written = await store.updateUser(username, (user) => (user ? { ...user, ...hashed, epoch: nextEpoch(user) } : null));
  if (written === 'conflict') return conflict;
  if (!written) return notFound(username);
  return { ok: true, value: accountView(written), revoked: await store.revokeSessions(username, now) };
}

/** Signs an account out everywhere (a wall screen taken down, a lost tablet). */
export async function revokeAccount(store: LiveStore, username: string, now: number): Promise<AccountOutcome> {
  const written = await store.updateUser(username, (user) => (user ? { ...user, epoch: nextEpoch(user) } : null));
  if (written === 'conflict') return conflict;
  if (!written) return notFound(username);
  return { ok: true, value: accountView(written), revoked: await store.revokeSessions(username, now) };
}
