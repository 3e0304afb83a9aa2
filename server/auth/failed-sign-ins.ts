// Failed sign-ins folded per address for the audit log, which stays append-only: the first
// failure from an address opens a window and is written as its own entry; the failures that
// follow within the window are only counted, and written as one summary entry ("N more")
// once the window has passed. A password-spraying address leaves two entries a window, not
// one a try. Kept per process (each process folds what it answered).

export interface FailureSummary {
  ip: string;
  /** Failures folded into this summary (the window's first is not among them). */
  count: number;
  /** The window: from its first failure until it closed. */
  since: number;
  until: number;
  /** The usernames tried, at most MAX_USERNAMES of them. */
  usernames: string[];
  /** The last failure's status (401 wrong password, 429 limited, 400 malformed). */
  status: number;
}

const MAX_USERNAMES = 20;
/** Addresses followed at once; past that a failure is written as its own entry (the rate limits bound those). */
const MAX_ADDRESSES = 10_000;

interface Window {
  since: number;
  until: number;
  count: number;
  usernames: Set<string>;
  status: number;
}

export class FailedSignIns {
  private readonly open = new Map<string, Window>();
  private readonly closed: FailureSummary[] = [];

  constructor(private readonly windowMs: number) {}

  /** A failed sign-in: true when it is to be written as its own entry, false when it was counted. */
  record(ip: string, username: string, status: number, now: number): boolean {
    const window = this.open.get(ip);
    if (window && now < window.until) {
      window.count++;
      window.status = status;
      if (window.usernames.size < MAX_USERNAMES) window.usernames.add(username);
      return false;
    }
    if (window) this.close(ip, window);
    if (this.open.size < MAX_ADDRESSES) this.open.set(ip, { since: now, until: now + this.windowMs, count: 0, usernames: new Set(), status });
    return true;
  }

  /** The summaries of windows closed by `now` (each handed out once). */
  due(now: number): FailureSummary[] {
    for (const [ip, window] of this.open) if (now >= window.until) this.close(ip, window);
    return this.closed.splice(0);
  }

  private close(ip: string, window: Window): void {
    this.open.delete(ip);
    if (window.count > 0) {
      this.closed.push({ ip, count: window.count, since: window.since, until: window.until, usernames: [...window.usernames], status: window.status });
    }
  }
}
