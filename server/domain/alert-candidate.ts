// One alert a rule finds holding now (alert-rules.ts, round-alerts.ts): its own module so
// the rules' files import it and not each other.
import type { Alert } from '../schema/index.ts';

export interface AlertCandidate {
  /** One open alert per key at a time: kind and subject. */
  key: string;
  kind: Alert['kind'];
  severity: Alert['severity'];
  message: string;
  rule: string;
  subject: Alert['subject'];
  figures: Record<string, number>;
  /** Where the subject is (a site's grid), or the town it concerns: tablets there get it. */
  gridId?: string | null;
  town?: string;
}
