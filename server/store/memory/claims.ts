// What is had once, in this process's memory: start-up claims and terminal registrations.
import type { Claims, StoredTerminalRegistration } from '../store.ts';

export class MemoryClaims implements Claims {
  readonly #claims = new Set<string>();
  readonly #registrations = new Map<string, StoredTerminalRegistration>();

  async claimOnce(name: string): Promise<boolean> {
    if (this.#claims.has(name)) return false;
    this.#claims.add(name);
    return true;
  }

  async claimTerminalRegistration(registration: StoredTerminalRegistration): Promise<boolean> {
    if (this.#registrations.has(registration.phone)) return false;
    this.#registrations.set(registration.phone, { ...registration });
    return true;
  }

  async getTerminalRegistration(phone: string): Promise<StoredTerminalRegistration | undefined> {
    const found = this.#registrations.get(phone);
    return found && { ...found };
  }

  async clearTerminalRegistration(phone: string): Promise<boolean> {
    return this.#registrations.delete(phone);
  }
}
