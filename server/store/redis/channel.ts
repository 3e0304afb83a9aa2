// One pub/sub channel of the store (revocations, a committed set's version): a connection of
// its own (pub/sub needs one; ioredis subscribes again after reconnecting), opened for the first
// listener and shared by all; each message parsed with its zod schema, a bad one dropped and logged.
import { z } from 'zod';
import { Listeners } from '../listeners.ts';
import type { RedisContext } from './context.ts';

export interface ChannelOptions<T> {
  /** What the connection is for, in log lines ("revocation subscriber"). */
  what: string;
  schema: z.ZodType<T>;
  /** The message is JSON (else the schema sees the text as it is). */
  json: boolean;
  /**
   * A message sent while the connection was down is lost: after each reconnection the
   * listeners hear this (the stored version) instead, to compare with theirs.
   */
  afterReconnect?: () => Promise<T | undefined>;
}

export class RedisChannel<T> {
  readonly #listeners = new Listeners<T>();
  #subscribed: Promise<unknown> | null = null;

  constructor(
    private readonly ctx: RedisContext,
    /** The channel's name under the store's prefix. */
    readonly name: string,
    private readonly options: ChannelOptions<T>,
  ) {}

  /** Calls listener with every message from now on (once subscribed). Resolves to the unsubscribe. */
  async listen(listener: (message: T) => void): Promise<() => void> {
    const unsubscribe = this.#listeners.add(listener);
    this.#subscribed ??= this.#subscribe();
    await this.#subscribed;
    return unsubscribe;
  }

  close(): void {
    this.#listeners.clear();
  }

  #subscribe(): Promise<unknown> {
    const { what, schema, json, afterReconnect } = this.options;
    const subscriber = this.ctx.duplicate(`${what} error`, what);
    subscriber.on('message', (_channel: string, message: string) => {
      let parsed;
      try {
        parsed = schema.safeParse(json ? JSON.parse(message) : message);
      } catch (err) {
        this.ctx.onError(`${what}: dropped a malformed message`, err);
        return;
      }
      if (parsed.success) this.#listeners.emit(parsed.data);
      else this.ctx.onError(`${what}: dropped a malformed message`, parsed.error);
    });
    if (afterReconnect) {
      let ready = 0;
      subscriber.on('ready', () => {
        if (ready++ === 0) return;
        void afterReconnect()
          .then((value) => value && this.#listeners.emit(value))
          .catch((err: unknown) => this.ctx.onError(`${what}: the check after reconnecting failed`, err));
      });
    }
    return subscriber.subscribe(this.ctx.key(this.name));
  }
}

/** The set channels (grids, roads, towns, terminals), one per name: each message is the set's new version. */
export class VersionChannels {
  readonly #channels = new Map<string, RedisChannel<string>>();

  constructor(private readonly ctx: RedisContext) {}

  /** Calls listener with each version published on `name`, and after each reconnection with the stored one (`stored`). */
  listen(name: string, stored: () => Promise<string | undefined>, listener: (version: string) => void): Promise<() => void> {
    let channel = this.#channels.get(name);
    if (!channel) {
      channel = new RedisChannel(this.ctx, name, { what: `${name} set subscriber`, schema: z.string(), json: false, afterReconnect: stored });
      this.#channels.set(name, channel);
    }
    return channel.listen(listener);
  }

  close(): void {
    for (const channel of this.#channels.values()) channel.close();
  }
}
