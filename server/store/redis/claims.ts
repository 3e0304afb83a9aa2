// What is had once, on Redis: once:<name> (start-up work claimed by some process) and
// jt808:reg:<phone> (a JT/T 808 terminal's registration: identity, hash of its auth code).
import { StoredTerminalRegistration as RegistrationSchema } from '../../schema/stored.ts';
import type { Claims, StoredTerminalRegistration } from '../store.ts';
import type { RedisContext } from './context.ts';

export class RedisClaims implements Claims {
  constructor(private readonly ctx: RedisContext) {}

  async claimOnce(name: string): Promise<boolean> {
    const claimed = (await this.ctx.redis.set(this.ctx.key(`once:${name}`), String(Date.now()), 'NX')) === 'OK';
    await this.ctx.confirmed();
    return claimed;
  }

  async claimTerminalRegistration(registration: StoredTerminalRegistration): Promise<boolean> {
    const claimed = (await this.ctx.redis.set(this.ctx.key(`jt808:reg:${registration.phone}`), JSON.stringify(registration), 'NX')) === 'OK';
    await this.ctx.confirmed();
    return claimed;
  }

  async getTerminalRegistration(phone: string): Promise<StoredTerminalRegistration | undefined> {
    const json = await this.ctx.redis.get(this.ctx.key(`jt808:reg:${phone}`));
    if (json === null) return undefined;
    try {
      return RegistrationSchema.parse(JSON.parse(json));
    } catch (err) {
      // Unreadable: as good as none for authentication, and kept (still bound) for an admin to clear.
      this.ctx.onError(`malformed jt808:reg:${phone}`, err);
      return { phone, codeHash: '', terminalId: '', plate: '', registeredAt: 0 };
    }
  }

  async clearTerminalRegistration(phone: string): Promise<boolean> {
    const cleared = (await this.ctx.redis.del(this.ctx.key(`jt808:reg:${phone}`))) > 0;
    await this.ctx.confirmed();
    return cleared;
  }
}
