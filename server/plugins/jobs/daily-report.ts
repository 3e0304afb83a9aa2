// The day's report is made once it is due (REPORT_TIME), and the sites are brought to the
// county's new day after midnight: checked every 30 s, and at start.
import { every } from './every.ts';

export default every(
  () => 30_000,
  (app) => app.reports.tick(),
  { name: 'job-daily-report', failed: 'making the daily report failed', atStart: true },
);
