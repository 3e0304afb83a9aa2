// A JT/T 808 vehicle terminal for the ingest bench: one TCP connection that registers
// (0x0100 → 0x8100 with an auth code), authenticates (0x0102), then reports its unit's
// fixes as batch uploads (0x0704) with a single location report (0x0200) now and then,
// each sent once the platform has acknowledged the previous one (0x8001).
import { connect, type Socket } from 'node:net';
import { FrameReader, encodeMessage, type Message } from '../../server/ingest/jt808/frame.ts';
import { MSG, REGISTER, REPLY, locationBody } from '../../server/ingest/jt808/messages.ts';
import { dueIn, nextFix, type Fix, type Unit } from './fleet.ts';

/** A 0x0704 body holds at most 34 fixes: the body length field has 10 bits (1023 bytes). */
export const FIXES_PER_BATCH = 30;

// 2013 layout: province, city, manufacturer (5), model (20), terminal id (7), plate colour, plate (GBK 甘F…).
const registration = Buffer.concat([
  Buffer.from([0, 62, 3, 132]),
  Buffer.from('BENCH'),
  Buffer.alloc(20),
  Buffer.from('B000001'),
  Buffer.from([2]),
  Buffer.from([0xb8, 0xca, 0x46, 0x31]),
]);

/** What one acknowledged message reports: how many fixes, whether the platform took it, its round trip. */
export type Recorder = (fixes: number, ok: boolean, ms: number) => void;

export class Terminal {
  /** The last fix the platform acknowledged. */
  lastAcked: Fix | null = null;
  private readonly socket: Socket;
  private waiting: ((m: Message) => void) | null = null;
  private serial = 0;
  private sent = 0;

  private constructor(
    socket: Socket,
    private readonly unit: Unit,
  ) {
    this.socket = socket;
    const reader = new FrameReader(
      (m) => {
        const w = this.waiting;
        this.waiting = null;
        w?.(m);
      },
      (e) => this.socket.destroy(e),
    );
    socket.on('data', (chunk) => reader.push(chunk));
  }

  /** Connects, registers and authenticates; throws when the platform refuses. */
  static async open(port: number, unit: Unit): Promise<Terminal> {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const t = new Terminal(socket, unit);
    const registered = await t.ask(MSG.register, registration);
    if (registered.header.messageId !== MSG.registerReply || registered.body[2] !== REGISTER.ok) throw new Error(`${unit.phone}: registration refused`);
    const authenticated = await t.ask(MSG.authenticate, registered.body.subarray(3));
    if (authenticated.body[4] !== REPLY.ok) throw new Error(`${unit.phone}: authentication refused`);
    return t;
  }

  /**
   * Reports until `running()` turns false, one message in flight, each reply recorded;
   * every `singleEvery`th message is a plain 0x0200 (one fix), the others 0x0704 batches.
   */
  async drive(running: () => boolean, record: Recorder, singleEvery: number): Promise<void> {
    while (running() && !this.socket.destroyed) {
      const single = this.sent++ % singleEvery === singleEvery - 1;
      const count = single ? 1 : FIXES_PER_BATCH;
      const wait = dueIn(this.unit, count);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const fixes = Array.from({ length: count }, () => nextFix(this.unit));
      const started = performance.now();
      const reply = single ? await this.ask(MSG.location, locationBody(fixes[0]!)) : await this.ask(MSG.batchLocation, batchBody(fixes));
      const ok = reply.header.messageId === MSG.platformReply && reply.body[4] === REPLY.ok;
      if (ok) this.lastAcked = fixes[fixes.length - 1]!;
      record(fixes.length, ok, performance.now() - started);
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private ask(messageId: number, body: Buffer): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.unit.phone}: no reply to 0x${messageId.toString(16)} within 30 s`)), 30_000);
      this.waiting = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
      this.socket.write(encodeMessage(messageId, this.unit.phone, this.serial++ & 0xffff, body));
    });
  }
}

/** 0x0704 body: count, type 0 (normal), then each 0x0200 body with its length. */
function batchBody(fixes: Fix[]): Buffer {
  const parts: Buffer[] = [Buffer.from([fixes.length >> 8, fixes.length & 0xff, 0])];
  for (const f of fixes) {
    const body = locationBody(f);
    parts.push(Buffer.from([body.length >> 8, body.length & 0xff]), body);
  }
  return Buffer.concat(parts);
}
