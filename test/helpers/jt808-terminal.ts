// A JT/T 808 terminal for tests: one real TCP connection to the gateway, frames written
// with the project's encoder, replies read back one by one.
import { connect, type Socket } from 'node:net';
import { expect } from 'vitest';
import { FrameReader, encodeMessage, type Message } from '../../server/ingest/jt808/frame.ts';
import { MSG } from '../../server/ingest/jt808/messages.ts';

/** A 0x0100 body, 2013 layout: province, city, manufacturer (5), model (20), terminal id (7), plate colour, plate (GBK). */
export function registrationBody(terminalId: string, plateGbk: Buffer = Buffer.from([0xb8, 0xca, 0x46, 0x31]) /* 甘F1 */): Buffer {
  const id = Buffer.alloc(7);
  id.write(terminalId, 'latin1');
  return Buffer.concat([Buffer.from([0, 62, 3, 132]), Buffer.from('HTSH1'), Buffer.alloc(20), id, Buffer.from([2]), plateGbk]);
}

/** Feeds chunks through a FrameReader as the gateway does: the messages read and the errors reported. */
export function readFrames(...chunks: Buffer[]): { messages: Message[]; errors: string[] } {
  const messages: Message[] = [];
  const errors: string[] = [];
  const reader = new FrameReader(
    (m) => messages.push(m),
    (e) => errors.push(e.message),
  );
  for (const c of chunks) reader.push(c);
  return { messages, errors };
}

export class Terminal {
  readonly socket: Socket;
  /** Resolves when the connection has closed (by either side). */
  readonly closed: Promise<void>;
  private readonly replies: Message[] = [];
  private waiting: ((m: Message) => void) | null = null;
  private serial = 0;

  constructor(
    port: number,
    readonly phone: string,
  ) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('error', () => {});
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    const reader = new FrameReader(
      (m) => (this.waiting ? (this.waiting(m), (this.waiting = null)) : this.replies.push(m)),
      (e) => {
        throw e;
      },
    );
    this.socket.on('data', (c) => reader.push(c));
  }

  connected(): Promise<void> {
    return this.socket.readyState === 'open' ? Promise.resolve() : new Promise((resolve) => this.socket.once('connect', () => resolve()));
  }

  send(messageId: number, body: Buffer, serial = this.serial++): number {
    this.socket.write(encodeMessage(messageId, this.phone, serial, body));
    return serial;
  }

  sendRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  next(): Promise<Message> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reply within 5 s')), 5000);
      this.waiting = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
    });
  }

  /** Sends and returns the platform's general reply result for it. */
  async ask(messageId: number, body: Buffer): Promise<number> {
    const serial = this.send(messageId, body);
    const reply = await this.next();
    expect(reply.header.messageId).toBe(MSG.platformReply);
    expect(reply.body.readUInt16BE(0)).toBe(serial);
    expect(reply.body.readUInt16BE(2)).toBe(messageId);
    return reply.body[4]!;
  }

  /** Registers (0x0100); the result and, on success, the auth code. */
  async register(terminalId: string, serial?: number): Promise<{ result: number; code: string; reply: Message }> {
    this.send(MSG.register, registrationBody(terminalId), serial);
    const reply = await this.next();
    expect(reply.header.messageId).toBe(MSG.registerReply);
    return { result: reply.body[2]!, code: reply.body.subarray(3).toString('latin1'), reply };
  }

  close(): void {
    this.socket.destroy();
  }
}
