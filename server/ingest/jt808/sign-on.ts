// A JT/T 808 terminal's sign-on: registration (0x0100, answered 0x8100 with an auth code) and
// authentication (0x0102). What the gateway answers is decided here; the gateway sends it.
//
// Registration names the terminal's identity (terminal id, plate): it must match the binding in
// terminals.json, and a terminal registers once (the standard's "terminal already registered"
// after that, until an admin clears it). Each registration gets a random auth code kept hashed in
// the store, so every gateway process checks it. An unknown phone and a wrong identity get the
// same answer; registrations and failed authentications are limited per address (registrations
// per phone too).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { terminalKey, type TerminalBinding } from '../../county/county.ts';
import type { LiveStore } from '../../store/store.ts';
import { AttemptLimiter } from '../attempt-limiter.ts';
import type { Registration } from './messages.ts';

export interface Jt808Limits {
  /** A connection not authenticated this long after it opened is closed. */
  authTimeoutMs: number;
  connectionsPerAddress: number;
  maxConnections: number;
  /** Registrations per window from one address / for one phone number. */
  registrationsPerAddress: number;
  registrationsPerPhone: number;
  /** Failed authentications per window from one address. */
  authFailuresPerAddress: number;
  windowMs: number;
}

export const DEFAULT_JT808_LIMITS: Jt808Limits = {
  authTimeoutMs: 10_000,
  connectionsPerAddress: 50,
  maxConnections: 10_000,
  registrationsPerAddress: 20,
  registrationsPerPhone: 5,
  authFailuresPerAddress: 20,
  windowMs: 600_000,
};

export interface SignOnOptions {
  bindingOf(phone: string): TerminalBinding | undefined;
  registrations: Pick<LiveStore, 'claimTerminalRegistration' | 'getTerminalRegistration'>;
  limits: Jt808Limits;
  clock: () => number;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** Counted here, read by metrics and tests through the gateway. */
  refused: { registrations: number; authentications: number };
}

/** `limited`: too many attempts; the gateway answers as for no such terminal (or a failure) and ends the connection. */
export type Registered = { kind: 'ok'; code: string } | { kind: 'no-such-terminal' } | { kind: 'taken' } | { kind: 'limited' };
export type Authenticated = { kind: 'ok'; ambulanceId: string } | { kind: 'failed' } | { kind: 'limited' };

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'latin1').digest();

/** The registration names the identity its binding expects (nothing expected: the first registration binds). */
function identityMatches(binding: TerminalBinding, registration: Pick<Registration, 'terminalId' | 'plate'>): boolean {
  if (binding.terminalId !== undefined && registration.terminalId.toUpperCase() !== binding.terminalId.toUpperCase()) return false;
  if (binding.plate !== undefined && registration.plate !== binding.plate) return false;
  return true;
}

export class SignOn {
  private readonly registrationsByAddress: AttemptLimiter;
  private readonly registrationsByPhone: AttemptLimiter;
  private readonly authFailuresByAddress: AttemptLimiter;

  constructor(private readonly options: SignOnOptions) {
    const { limits } = options;
    this.registrationsByAddress = new AttemptLimiter(limits.registrationsPerAddress, limits.windowMs);
    this.registrationsByPhone = new AttemptLimiter(limits.registrationsPerPhone, limits.windowMs);
    this.authFailuresByAddress = new AttemptLimiter(limits.authFailuresPerAddress, limits.windowMs);
  }

  /** `unknown` is called when no vehicle holds the phone (the gateway lists it for admins). */
  async register(phoneAsSent: string, address: string, registration: Registration, unknown: () => void): Promise<Registered> {
    const { log } = this.options;
    const phone = terminalKey(phoneAsSent);
    const now = this.options.clock();
    // Both counted, whichever is over: a run of guesses costs the address and the phone alike.
    const byAddress = this.registrationsByAddress.hit(address, now);
    const byPhone = this.registrationsByPhone.hit(phone, now);
    if (!byAddress || !byPhone) {
      this.options.refused.registrations++;
      log.warn({ phone: phoneAsSent, remote: address }, 'jt808 registration refused: too many attempts');
      return { kind: 'limited' };
    }
    const binding = this.options.bindingOf(phoneAsSent);
    if (!binding) unknown();
    // An unknown phone and a wrong identity: one answer, and neither reads the store, so
    // that neither the reply nor its timing tells which phone numbers are bound.
    if (!binding || !identityMatches(binding, registration)) {
      log.warn(
        { phone: phoneAsSent, remote: address, terminalId: registration.terminalId, plate: registration.plate, known: !!binding },
        'jt808 registration refused: no such terminal',
      );
      return { kind: 'no-such-terminal' };
    }
    const code = randomBytes(16).toString('hex');
    const claimed = await this.options.registrations.claimTerminalRegistration({
      phone,
      codeHash: sha256(code).toString('hex'),
      terminalId: registration.terminalId,
      plate: registration.plate,
      registeredAt: now,
    });
    if (!claimed) {
      log.warn({ phone: phoneAsSent, remote: address, ambulanceId: binding.ambulanceId }, 'jt808 registration refused: terminal already registered (an admin may clear it)');
      return { kind: 'taken' };
    }
    log.info({ phone: phoneAsSent, ambulanceId: binding.ambulanceId, plate: registration.plate }, 'jt808 terminal registered');
    return { kind: 'ok', code };
  }

  async authenticate(phoneAsSent: string, address: string, code: string, unknown: () => void): Promise<Authenticated> {
    const now = this.options.clock();
    if (this.authFailuresByAddress.blocked(address, now)) {
      this.options.refused.authentications++;
      this.options.log.warn({ phone: phoneAsSent, remote: address }, 'jt808 authentication refused: too many failures from this address');
      return { kind: 'limited' };
    }
    const binding = this.options.bindingOf(phoneAsSent);
    if (!binding) unknown();
    // Read for every phone, known or not, so that the timing tells nothing either.
    const registered = await this.options.registrations.getTerminalRegistration(terminalKey(phoneAsSent));
    const given = sha256(code);
    const expected = registered && /^[0-9a-f]{64}$/.test(registered.codeHash) ? Buffer.from(registered.codeHash, 'hex') : null;
    const ok =
      !!binding &&
      !!expected &&
      code.length > 0 &&
      timingSafeEqual(given, expected) &&
      // A binding changed since (another terminal fitted): the old registration no longer counts.
      identityMatches(binding, registered!);
    if (!ok) {
      this.authFailuresByAddress.hit(address, now);
      return { kind: 'failed' };
    }
    return { kind: 'ok', ambulanceId: binding.ambulanceId };
  }
}
