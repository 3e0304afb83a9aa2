// What one session may take of the live gateway: so many sockets open at once, and so many
// snapshots or replays a minute (each is the whole county: one account asking in a loop
// would otherwise have the server encode megabytes a second for it). Counted in this
// process, keyed by the session. Clock injected.

/** The answers a refused screen gets (connect_error data, or a `live-error` event). */
export const tooManySockets = (limit: number) => ({
  error: 'too-many-sockets',
  message: `此会话打开的实时连接过多（最多 ${limit} 个），请关闭其他标签页后重试 (too many live connections for this session: at most ${limit})`,
});
export const tooManySnapshots = (limit: number) => ({
  error: 'too-many-snapshots',
  message: `快照请求过于频繁（每分钟最多 ${limit} 次），请稍后再试 (too many snapshot or resume requests: at most ${limit} a minute)`,
});

export class LiveLimits {
  /** Open sockets (and handshakes admitted but not yet connected) by session. */
  readonly #open = new Map<string, number>();
  /** Snapshots and replays served by session in the current minute. */
  readonly #served = new Map<string, number>();
  #minute = -1;

  constructor(
    readonly socketsPerSession: number,
    readonly snapshotsPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** One more socket for the session, unless it holds the most already (then false, nothing counted). */
  open(session: string): boolean {
    const n = this.#open.get(session) ?? 0;
    if (n >= this.socketsPerSession) return false;
    this.#open.set(session, n + 1);
    return true;
  }

  /** A socket counted by open() is gone. */
  close(session: string): void {
    const n = (this.#open.get(session) ?? 0) - 1;
    if (n > 0) this.#open.set(session, n);
    else this.#open.delete(session);
  }

  /** One more snapshot or replay for the session this minute, unless it has had its share (false, nothing counted). */
  serve(session: string): boolean {
    const minute = Math.floor(this.now() / 60_000);
    if (minute !== this.#minute) {
      // A new minute: every count starts again (and the map holds only this minute's sessions).
      this.#served.clear();
      this.#minute = minute;
    }
    const n = this.#served.get(session) ?? 0;
    if (n >= this.snapshotsPerMinute) return false;
    this.#served.set(session, n + 1);
    return true;
  }
}
