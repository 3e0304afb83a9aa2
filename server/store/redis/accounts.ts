// Accounts and sessions on Redis. Keys: users (hash username → account JSON), session:<id>
// (session JSON with a TTL, under sessionId(token): never the token itself), user-sessions:<name>
// (an account's session ids by expiry), and the `revoked` channel (a session or an account ended).
import { RevokedMessage, StoredSessionRecord, StoredUser as StoredUserSchema } from '../../schema/stored.ts';
import { sessionId, sessionValid, type Accounts, type Revoked, type RevokedListener, type StoredSession, type StoredUser } from '../store.ts';
import { RedisChannel } from './channel.ts';
import { MAX_UPDATE_ATTEMPTS, type RedisContext } from './context.ts';

/** Writes an account only if it is still the JSON that was read ('' : none). KEYS: users. ARGV: username, expectedJson, newJson. */
const USER_CAS_SCRIPT = `
if (redis.call('HGET', KEYS[1], ARGV[1]) or '') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`;
/** A session and its account in one round trip. KEYS: session:<id>, users. Returns [sessionJson, userJson or nil]. */
const SESSION_SCRIPT = `
local s = redis.call('GET', KEYS[1])
if not s then return nil end
local ok, session = pcall(cjson.decode, s)
if not ok or type(session) ~= 'table' or type(session.username) ~= 'string' then return { s, false } end
return { s, redis.call('HGET', KEYS[2], session.username) }
`;

export class RedisAccounts implements Accounts {
  readonly #revoked: RedisChannel<Revoked>;

  constructor(private readonly ctx: RedisContext) {
    this.#revoked = new RedisChannel(ctx, 'revoked', { what: 'revocation subscriber', schema: RevokedMessage, json: true });
  }

  #users(): string {
    return this.ctx.key('users');
  }

  async getUser(username: string): Promise<StoredUser | undefined> {
    const json = await this.ctx.redis.hget(this.#users(), username);
    if (json === null) return undefined;
    const parsed = StoredUserSchema.safeParse(JSON.parse(json));
    if (!parsed.success) this.ctx.onError(`dropped malformed account ${username}`, parsed.error);
    return parsed.success ? parsed.data : undefined;
  }

  async putUser(user: StoredUser): Promise<void> {
    await this.ctx.redis.hset(this.#users(), user.username, JSON.stringify(user));
    await this.ctx.confirmed();
  }

  async addUser(user: StoredUser): Promise<boolean> {
    const added = (await this.ctx.redis.hsetnx(this.#users(), user.username, JSON.stringify(user))) === 1;
    await this.ctx.confirmed();
    return added;
  }

  async updateUser(username: string, update: (current: StoredUser | undefined) => StoredUser | null): Promise<StoredUser | null | 'conflict'> {
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const json = await this.ctx.redis.hget(this.#users(), username);
      const current = json === null ? undefined : this.#decodeUser(username, json);
      const next = update(current && { ...current });
      if (!next) return null;
      const written: StoredUser = { ...next, username, version: (current?.version ?? 0) + 1 };
      if (Number(await this.ctx.script(USER_CAS_SCRIPT, 1, this.#users(), username, json ?? '', JSON.stringify(written))) === 1) {
        await this.ctx.confirmed();
        return written;
      }
      // Written meanwhile (another admin, another process): back off a random while and compute again.
      await new Promise((r) => setTimeout(r, Math.random() * (attempt + 1) * 2));
    }
    return 'conflict';
  }

  #decodeUser(username: string, json: string): StoredUser | undefined {
    try {
      const parsed = StoredUserSchema.safeParse(JSON.parse(json));
      if (parsed.success) return parsed.data;
      this.ctx.onError(`dropped malformed account ${username}`, parsed.error);
    } catch (err) {
      this.ctx.onError(`dropped unparsable account ${username}`, err);
    }
    return undefined;
  }

  async countUsers(): Promise<number> {
    return this.ctx.redis.hlen(this.#users());
  }

  async listUsers(): Promise<StoredUser[]> {
    const all = await this.ctx.redis.hgetall(this.#users());
    return Object.keys(all)
      .sort()
      .flatMap((username) => {
        const parsed = StoredUserSchema.safeParse(JSON.parse(all[username]!));
        if (!parsed.success) this.ctx.onError(`dropped malformed account ${username}`, parsed.error);
        return parsed.success ? [parsed.data] : [];
      });
  }

  async putSession(session: StoredSession, now: number): Promise<void> {
    const ttl = Math.max(1, session.expiresAt - now);
    const { token, ...kept } = session;
    const id = sessionId(token);
    // Each account's sessions, by expiry, so that revoking an account finds them all.
    const index = this.ctx.key(`user-sessions:${session.username}`);
    await this.ctx.redis
      .multi()
      .set(this.ctx.key(`session:${id}`), JSON.stringify(kept), 'PX', ttl)
      .zremrangebyscore(index, '-inf', now)
      .zadd(index, session.expiresAt, id)
      .exec();
    await this.ctx.confirmed();
  }

  async getSession(token: string, now: number): Promise<StoredSession | undefined> {
    const found = (await this.ctx.script(SESSION_SCRIPT, 2, this.ctx.key(`session:${sessionId(token)}`), this.#users())) as [string, string | null] | null;
    if (!found) return undefined;
    const [json, userJson] = found;
    let parsed;
    try {
      parsed = StoredSessionRecord.safeParse(JSON.parse(json));
    } catch {
      return undefined;
    }
    if (!parsed.success) return undefined;
    const session: StoredSession = { ...parsed.data, token };
    const user = userJson === null ? undefined : this.#decodeUser(session.username, userJson);
    return sessionValid(session, user, now) ? session : undefined;
  }

  async deleteSession(token: string): Promise<void> {
    const id = sessionId(token);
    await this.ctx.redis
      .multi()
      .del(this.ctx.key(`session:${id}`))
      .publish(this.ctx.key('revoked'), JSON.stringify({ sessionId: id }))
      .exec();
    await this.ctx.confirmed();
  }

  async revokeSessions(username: string, now: number): Promise<number> {
    const index = this.ctx.key(`user-sessions:${username}`);
    // Every token of the account with its expiry: all are deleted, the unexpired counted.
    const withScores = await this.ctx.redis.zrange(index, '0', '-1', 'WITHSCORES');
    const tx = this.ctx.redis.multi();
    let open = 0;
    for (let i = 0; i < withScores.length; i += 2) {
      tx.del(this.ctx.key(`session:${withScores[i]}`));
      if (Number(withScores[i + 1]) > now) open++;
    }
    await tx.del(index).publish(this.ctx.key('revoked'), JSON.stringify({ username })).exec();
    await this.ctx.confirmed();
    return open;
  }

  onRevoked(listener: RevokedListener): Promise<() => void> {
    return this.#revoked.listen(listener);
  }

  close(): void {
    this.#revoked.close();
  }
}
