// The JT/T 808 TCP gateway: vehicle terminals connect, register (0x0100 → 0x8100 with
// an auth code), authenticate (0x0102), then send heartbeats (0x0002) and location
// reports (0x0200, or batches 0x0704); each gets the platform's general reply (0x8001)
// once handled. Terminals are mapped to ambulances by phone number. Auth codes are an
// HMAC of the phone number, so any server process can check them without shared state.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { FixCounters, judgeFix, type CandidateFix, type FixLimits } from '../fix-filter.ts';
import { FrameError, FrameReader, encodeMessage, type Message } from './frame.ts';
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
} from './messages.ts';

export interface AcceptedFix {
  ambulanceId: string;
  fix: { lng: number; lat: number; at: number; speed: number; heading: number };
}

export interface Jt808Options {
  /** The ambulance a terminal's phone number belongs to. */
  ambulanceOf(phone: string): string | undefined;
  /** The unit's last accepted fix, for the jump and duplicate checks. */
  previousFix(ambulanceId: string): Promise<CandidateFix | null>;
  /** Writes accepted fixes; resolves once they are in the store. */
  write(fixes: AcceptedFix[]): Promise<void>;
  authSecret: string;
  limits: FixLimits;
  clock: () => number;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** Idle connections (no frame for this long) are closed. */
  idleMs?: number;
}

interface Session {
  phone: string | null;
  ambulanceId: string | null;
  authenticated: boolean;
  /** Messages of one connection are handled one after another, in order. */
  queue: Promise<void>;
}

export class Jt808Gateway {
  readonly counters = new FixCounters();
  /** Frames that could not be read (bad escape, checksum, truncated). */
  badFrames = 0;
  /** Location reports whose trailing extra items did not parse (the fix was kept). */
  brokenTails = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private serial = 0;
  /** Last accepted fix per unit, so a stream of reports does not read the store each time. */
  private readonly lastFix = new Map<string, CandidateFix>();

  constructor(private readonly options: Jt808Options) {
    this.server = createServer((socket) => this.accept(socket));
  }

  authCode(phone: string): string {
    return createHmac('sha256', this.options.authSecret).update(`jt808:${phone}`).digest('hex').slice(0, 16);
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
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(this.options.idleMs ?? 5 * 60_000, () => socket.destroy());
    const session: Session = { phone: null, ambulanceId: null, authenticated: false, queue: Promise.resolve() };
    const reader = new FrameReader(
      (message) => {
        session.queue = session.queue
          .then(() => this.handle(socket, session, message))
          .catch((err: unknown) => this.options.log.warn({ err, phone: message.header.phone }, 'jt808 message failed'));
      },
      (error) => {
        this.badFrames++;
        this.options.log.warn({ error: error.message, remote: socket.remoteAddress }, 'jt808 frame dropped');
      },
    );
    socket.on('data', (chunk) => reader.push(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private send(socket: Socket, session: Session, request: Message, messageId: number, body: Buffer): void {
    if (socket.destroyed) return;
    const { phone, version2019, protocolVersion } = request.header;
    socket.write(encodeMessage(messageId, session.phone ?? phone, this.serial++ & 0xffff, body, version2019, protocolVersion));
  }

  private reply(socket: Socket, session: Session, request: Message, result: number): void {
    this.send(socket, session, request, MSG.platformReply, generalReply(request.header.serial, request.header.messageId, result));
  }

  private async handle(socket: Socket, session: Session, message: Message): Promise<void> {
    const { header, body } = message;
    if (header.encrypted || header.packet) return this.reply(socket, session, message, REPLY.unsupported);
    try {
      switch (header.messageId) {
        case MSG.register: {
          const registration = parseRegistration(body, header.version2019);
          const ambulanceId = this.options.ambulanceOf(header.phone);
          if (!ambulanceId) {
            this.options.log.warn({ phone: header.phone, plate: registration.plate }, 'jt808 registration from an unknown terminal');
            return this.send(socket, session, message, MSG.registerReply, registrationReply(header.serial, REGISTER.noSuchTerminal));
          }
          this.options.log.info({ phone: header.phone, ambulanceId, plate: registration.plate }, 'jt808 terminal registered');
          return this.send(socket, session, message, MSG.registerReply, registrationReply(header.serial, REGISTER.ok, this.authCode(header.phone)));
        }
        case MSG.authenticate: {
          const code = Buffer.from(parseAuthentication(body, header.version2019));
          const expected = Buffer.from(this.authCode(header.phone));
          const ambulanceId = this.options.ambulanceOf(header.phone);
          const ok = !!ambulanceId && code.length === expected.length && timingSafeEqual(code, expected);
          Object.assign(session, ok ? { phone: header.phone, ambulanceId, authenticated: true } : { authenticated: false });
          return this.reply(socket, session, message, ok ? REPLY.ok : REPLY.failure);
        }
        case MSG.heartbeat:
          return this.reply(socket, session, message, this.isFor(session, message) ? REPLY.ok : REPLY.failure);
        case MSG.logout:
          this.reply(socket, session, message, REPLY.ok);
          socket.end();
          return;
        case MSG.terminalReply:
          return; // a terminal acknowledging something we sent: nothing to do
        case MSG.location:
        case MSG.batchLocation: {
          if (!this.isFor(session, message)) return this.reply(socket, session, message, REPLY.failure);
          const locations = header.messageId === MSG.location ? [parseLocation(body)] : parseBatchLocation(body).locations;
          for (const l of locations) if (l.brokenTail) this.noteBrokenTail(header.phone, l.brokenTail);
          await this.accept808(session.ambulanceId!, locations);
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

  /** Only an authenticated connection may speak for its own phone number. */
  private isFor(session: Session, message: Message): boolean {
    return session.authenticated && session.phone === message.header.phone;
  }

  private async accept808(ambulanceId: string, locations: Location[]): Promise<void> {
    const now = this.options.clock();
    let previous = this.lastFix.get(ambulanceId) ?? (await this.options.previousFix(ambulanceId));
    const accepted: AcceptedFix[] = [];
    // Oldest first, so a batch of blind-area fixes is judged as the drive it was.
    for (const l of [...locations].sort((a, b) => a.at - b.at)) {
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
