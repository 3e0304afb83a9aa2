// The key figures' history gets a point every HISTORY_INTERVAL_SECONDS (one per slot, whichever process is first), and one at start.
import { every } from './every.ts';

export default every(
  (app) => app.config.historyIntervalMs,
  (app) => app.history.record(),
  { name: 'job-history-sampler', failed: 'history sample failed', atStart: true },
);
