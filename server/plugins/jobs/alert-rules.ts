// The alert rules run every ALERT_INTERVAL_SECONDS, and once at start.
import { every } from './every.ts';

export default every(
  (app) => app.config.alertIntervalMs,
  (app) => app.alerts.evaluate(),
  { name: 'job-alert-rules', failed: 'alert evaluation failed', atStart: true },
);
