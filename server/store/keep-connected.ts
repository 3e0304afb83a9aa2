// ioredis gives a Sentinel-managed connection up for good when its connector is told to
// disconnect while it is still asking the Sentinels where the primary is: the connect under
// way fails with "Connection is closed.", the status becomes `end`, and no retry is scheduled.
// Its own failover detector does exactly that in a failover: the detector of the connection
// that was lost still listens, and +switch-master arrives while the connection is between
// refused attempts on the dead primary and asking again. From then on every command on it
// fails at once, for the life of the process (the stream reader, the subscribers, the
// commands). So a connection that ends while its store is not closing is connected again.
import type { Cluster, Redis } from 'ioredis';

export interface KeepConnectedOptions {
  /** What the connection is for, for the log line. */
  what: string;
  /** True once the store closes it on purpose. */
  closing: () => boolean;
  onError: (message: string, error: unknown) => void;
  /** Called just before connecting again (what was known on the lost connection may be stale). */
  onRestart?: () => void;
  delayMs?: number;
}

export function keepConnected(conn: Redis | Cluster, options: KeepConnectedOptions): void {
  conn.on('end', () => {
    if (options.closing()) return;
    options.onError(`the ${options.what} connection was given up by ioredis (status end); connecting it again`, null);
    const timer = setTimeout(() => {
      if (options.closing() || conn.status !== 'end') return;
      options.onRestart?.();
      // Commands still owed an answer from the lost connection are sent again once it is ready;
      // an attempt that ends the same way comes back here.
      conn.connect().catch(() => {});
    }, options.delayMs ?? 200);
    timer.unref();
  });
}
