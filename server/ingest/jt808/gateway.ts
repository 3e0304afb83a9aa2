// The JT/T 808 TCP gateway: vehicle terminals connect, register (0x0100 → 0x8100 with
// an auth code), authenticate (0x0102), then send heartbeats (0x0002) and location
// reports (0x0200, or batches 0x0704); each gets the platform's general reply (0x8001)
// once handled. Terminals are mapped to ambulances by phone number.
//
// Registration and authentication are decided in sign-on.ts; this file holds the connections,
// their order and flow, and the location reports.
// 300-line rule: a connection's life (accept, read, handle in order, reply, pause, close) is
// one state machine over one Session, kept in one place as realtime/gateway.ts keeps a screen's.
//
// Bounded per connection: reading pauses while replies wait to be sent or messages to
// be handled; connections per address and in all are capped; a connection must
// authenticate within a few seconds; a frame has a maximum length (FrameReader).
import { createServer, type Server, type Socket } from 'node:net';
import type { TerminalBinding } from '../../county/county.ts';
import type { LiveStore } from '../../store/store.ts';
import type { Sighting } from '../../terminals/unknown-recorder.ts';
import { FixCounters, judgeFix, type CandidateFix, type FixLimits } from '../fix-filter.ts';
import { FrameError, FrameReader, encodeMessage, type Message } from './frame.ts';
import { DEFAULT_JT808_LIMITS, SignOn, type Jt808Limits } from './sign-on.ts';
import {
  MSG,
  REGISTER,
  REPLY,
  generalReply,
  parseAuthentication,
  parseBatchLocation,
  parseLocation,
  parseRegistration,
  registrationReply,
  type Location,
  type Registration,
} from './messages.ts';

export interface AcceptedFix {
  ambulanceId: string;
  fix: { lng: number; lat: number; at: number; speed: number; heading: number };
}

export { DEFAULT_JT808_LIMITS, type Jt808Limits } from './sign-on.ts';

export interface Jt808Options {
  /** The binding (ambulance, expected identity) of a terminal's phone number, as served now (looked up on every message). */
  bindingOf(phone: string): TerminalBinding | undefined;
  /** A terminal with an identity no vehicle holds said something (listed for admins to bind; throttled by the listener). */
  noteUnknown?(sighting: Sighting): void;
  /** Where registrations are kept (the live store: shared by every gateway process). */
  registrations: Pick<LiveStore, 'claimTerminalRegistration' | 'getTerminalRegistration'>;
  /** The unit's last accepted fix, for the jump and duplicate checks. */
  previousFix(ambulanceId: string): Promise<CandidateFix | null>;
  /** Writes accepted fixes; resolves once they are in the store. */
  write(fixes: AcceptedFix[]): Promise<void>;
  limits: FixLimits;
  connectionLimits?: Partial<Jt808Limits>;
  clock: () => number;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** Idle connections (no frame for this long) are closed. */
  idleMs?: number;
}

interface Session {
  phone: string | null;
  ambulanceId: string | null;
  authenticated: boolean;
  /** Messages read and not yet handled: handled one after another, in order. */
  inbox: Message[];
  /** A loop is handling the inbox. */
  draining: boolean;
  /** The socket's write buffer is over its high-water mark (until 'drain'). */
  writeBlocked: boolean;
}

/** Messages read ahead of handling, per connection, before reading pauses. */
const MAX_PENDING = 256;

/** IPv4 clients of a dual-stack listener appear as ::ffff:a.b.c.d. */
const addressOf = (socket: Socket): string => (socket.remoteAddress ?? '').replace(/^::ffff:/, '');

/** The newest of a report's fixes. */
const newest = (locations: Location[]): Location | undefined => locations.reduce<Location | undefined>((a, l) => (!a || l.at > a.at ? l : a), undefined);

export class Jt808Gateway {
  readonly counters = new FixCounters();
  /** Frames that could not be read (bad escape, checksum, truncated). */
  badFrames = 0;
  /** Location reports whose trailing extra items did not parse (the fix was kept). */
  brokenTails = 0;
  /** Connections refused for the per-address cap, registrations and authentications refused for a limit. */
  readonly refused = { connections: 0, registrations: 0, authentications: 0 };
  /** Open connections (read by tests and metrics). */
  readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private readonly perAddress = new Map<string, number>();
  private readonly connectionLimits: Jt808Limits;
  private readonly signOn: SignOn;
  private serial = 0;
  /** Last accepted fix per unit, so a stream of reports does not read the store each time. */
  private readonly lastFix = new Map<string, CandidateFix>();

  constructor(private readonly options: Jt808Options) {
    const limits = (this.connectionLimits = { ...DEFAULT_JT808_LIMITS, ...options.connectionLimits });
    this.signOn = new SignOn({
      bindingOf: (phone) => options.bindingOf(phone),
      registrations: options.registrations,
      limits,
      clock: () => options.clock(),
      log: options.log,
      refused: this.refused,
    });
    this.server = createServer((socket) => this.accept(socket));
    this.server.maxConnections = limits.maxConnections;
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  /** The TCP port the gateway listens on (after listen()). */
  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  get connections(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const address = addressOf(socket);
    const open = this.perAddress.get(address) ?? 0;
    if (open >= this.connectionLimits.connectionsPerAddress) {
      this.refused.connections++;
      this.options.log.warn({ remote: address, open }, 'jt808 connection refused: too many from this address');
      socket.destroy();
      return;
    }
    this.perAddress.set(address, open + 1);
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(this.options.idleMs ?? 5 * 60_000, () => socket.destroy());
    const session: Session = { phone: null, ambulanceId: null, authenticated: false, inbox: [], draining: false, writeBlocked: false };
    const authTimer = setTimeout(() => {
      if (!session.authenticated) socket.destroy();
    }, this.connectionLimits.authTimeoutMs);
    const reader = new FrameReader(
      (message) => {
        session.inbox.push(message);
        this.flow(socket, session);
        if (!session.draining) void this.drain(socket, session);
      },
      (error) => {
        this.badFrames++;
        this.options.log.warn({ error: error.message, remote: socket.remoteAddress }, 'jt808 frame dropped');
      },
    );
    socket.on('data', (chunk) => reader.push(chunk));
    socket.on('drain', () => {
      session.writeBlocked = false;
      this.flow(socket, session);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(authTimer);
      this.sockets.delete(socket);
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    });
  }

  /** Handles a connection's messages in order, one at a time, until none is waiting. */
  private async drain(socket: Socket, session: Session): Promise<void> {
    session.draining = true;
    for (let message = session.inbox.shift(); message; message = session.inbox.shift()) {
      try {
        await this.handle(socket, session, message);
      } catch (err) {
        this.options.log.warn({ err, phone: message.header.phone }, 'jt808 message failed');
      }
      this.flow(socket, session);
    }
    session.draining = false;
  }

  /** Reads only while replies can be sent and messages are handled: a client that never reads holds no more than that. */
  private flow(socket: Socket, session: Session): void {
    if (socket.destroyed) return;
    const hold = session.writeBlocked || session.inbox.length > MAX_PENDING;
    if (hold && !socket.isPaused()) socket.pause();
    else if (!hold && socket.isPaused()) socket.resume();
  }

  private send(socket: Socket, session: Session, request: Message, messageId: number, body: Buffer): void {
    if (socket.destroyed) return;
    // The terminal's identity exactly as it sent it (a binary IMEI too), in the layout it used.
    const { phoneBytes, version2019, protocolVersion } = request.header;
    if (!socket.write(encodeMessage(messageId, phoneBytes, this.serial++ & 0xffff, body, version2019, protocolVersion))) {
      session.writeBlocked = true;
      this.flow(socket, session);
    }
  }

  private reply(socket: Socket, session: Session, request: Message, result: number): void {
    this.send(socket, session, request, MSG.platformReply, generalReply(request.header.serial, request.header.messageId, result));
  }

  private async handle(socket: Socket, session: Session, message: Message): Promise<void> {
    const { header, body } = message;
    if (header.encrypted || header.packet) return this.reply(socket, session, message, REPLY.unsupported);
    try {
      switch (header.messageId) {
        case MSG.register:
          return await this.register(socket, session, message, parseRegistration(body, header.version2019));
        case MSG.authenticate:
          return await this.authenticate(socket, session, message, parseAuthentication(body, header.version2019));
        case MSG.heartbeat:
          if (!this.isFor(session, message)) this.unknown(socket, message);
          return this.reply(socket, session, message, this.isFor(session, message) ? REPLY.ok : REPLY.failure);
        case MSG.logout:
          this.reply(socket, session, message, REPLY.ok);
          socket.end();
          return;
        case MSG.terminalReply:
          return; // a terminal acknowledging something we sent: nothing to do
        case MSG.location:
        case MSG.batchLocation: {
          if (!this.isFor(session, message)) {
            this.unknown(socket, message, () => newest(header.messageId === MSG.location ? [parseLocation(body)] : parseBatchLocation(body).locations));
            return this.reply(socket, session, message, REPLY.failure);
          }
          // The vehicle the terminal is bound to now: an admin's rebinding takes effect on the next report.
          const binding = this.options.bindingOf(header.phone);
          const locations = header.messageId === MSG.location ? [parseLocation(body)] : parseBatchLocation(body).locations;
          if (!binding) {
            // Unbound since it authenticated: listed as unknown, and it must authenticate again once bound.
            Object.assign(session, { authenticated: false, ambulanceId: null });
            this.unknown(socket, message, () => newest(locations));
            return this.reply(socket, session, message, REPLY.failure);
          }
          session.ambulanceId = binding.ambulanceId;
          for (const l of locations) if (l.brokenTail) this.noteBrokenTail(header.phone, l.brokenTail);
          await this.accept808(binding.ambulanceId, locations);
          return this.reply(socket, session, message, REPLY.ok);
        }
        default:
          return this.reply(socket, session, message, REPLY.unsupported);
      }
    } catch (err) {
      if (!(err instanceof FrameError)) throw err;
      this.badFrames++;
      this.options.log.warn({ error: err.message, phone: header.phone, messageId: header.messageId }, 'jt808 message malformed');
      return this.reply(socket, session, message, REPLY.malformed);
    }
  }

  /** A report whose trailing items did not parse: its fix is kept; the tail is counted and logged for diagnosis. */
  private noteBrokenTail(phone: string, tail: Buffer): void {
    this.brokenTails++;
    this.options.log.info({ phone, tail: tail.subarray(0, 64).toString('hex'), bytes: tail.length }, 'jt808 location with unreadable extra items (fix kept)');
  }

  private async register(socket: Socket, session: Session, message: Message, registration: Registration): Promise<void> {
    const { header } = message;
    const outcome = await this.signOn.register(header.phone, addressOf(socket), registration, () => this.unknown(socket, message, null, registration));
    const result = outcome.kind === 'ok' ? REGISTER.ok : outcome.kind === 'taken' ? REGISTER.terminalTaken : REGISTER.noSuchTerminal;
    this.send(socket, session, message, MSG.registerReply, registrationReply(header.serial, result, outcome.kind === 'ok' ? outcome.code : undefined));
    if (outcome.kind === 'limited') socket.end();
  }

  private async authenticate(socket: Socket, session: Session, message: Message, code: string): Promise<void> {
    const outcome = await this.signOn.authenticate(message.header.phone, addressOf(socket), code, () => this.unknown(socket, message));
    if (outcome.kind === 'ok') Object.assign(session, { phone: message.header.phone, ambulanceId: outcome.ambulanceId, authenticated: true });
    else session.authenticated = false;
    this.reply(socket, session, message, outcome.kind === 'ok' ? REPLY.ok : REPLY.failure);
    if (outcome.kind === 'limited') socket.end();
  }

  /**
   * Tells the listener about a message from a phone no vehicle holds (a bound phone that merely
   * has not authenticated is not unknown): its identity exactly as sent, the message, the newest
   * position it carried when it carried one, what a registration named.
   */
  private unknown(socket: Socket, message: Message, position?: (() => Location | undefined) | null, registration?: Registration): void {
    if (!this.options.noteUnknown || this.options.bindingOf(message.header.phone)) return;
    let last: Location | undefined;
    try {
      last = position?.() ?? undefined;
    } catch {
      last = undefined; // an unreadable body: listed without a position
    }
    this.options.noteUnknown({
      kind: 'jt808',
      identity: message.header.phone,
      remote: addressOf(socket),
      lastMessage: `0x${message.header.messageId.toString(16).padStart(4, '0')}`,
      lastPosition: last && last.status.located ? { lng: last.lng, lat: last.lat, at: last.at } : null,
      terminalId: registration?.terminalId ?? null,
      plate: registration?.plate ?? null,
    });
  }

  /** Only an authenticated connection may speak for its own phone number. */
  private isFor(session: Session, message: Message): boolean {
    return session.authenticated && session.phone === message.header.phone;
  }

  private async accept808(ambulanceId: string, locations: Location[]): Promise<void> {
    const now = this.options.clock();
    let previous = this.lastFix.get(ambulanceId) ?? (await this.options.previousFix(ambulanceId));
    const accepted: AcceptedFix[] = [];
    // Oldest first, so a batch of blind-area fixes is judged as the drive it was.
    for (const l of locations.length > 1 ? [...locations].sort((a, b) => a.at - b.at) : locations) {
      const candidate: CandidateFix = { lng: l.lng, lat: l.lat, at: l.at, located: l.status.located };
      const verdict = judgeFix(candidate, previous, now, this.options.limits);
      this.counters.count(verdict);
      if (verdict !== 'ok') continue;
      previous = candidate;
      accepted.push({ ambulanceId, fix: { lng: l.lng, lat: l.lat, at: l.at, speed: Math.min(400, l.speed), heading: l.heading } });
    }
    if (accepted.length === 0) return;
    // Only the newest fix of a batch moves the unit on the map.
    await this.options.write(accepted.slice(-1));
    this.lastFix.set(ambulanceId, previous!);
  }
}
