// One alert a rule finds holding now (alert-rules.ts, round-alerts.ts): its own module so
// the rules' files import it and not each other.
import { ALERT_WORDS, type Alert, type AlertFigures, type AlertTerms, type AlertWords } from '../schema/index.ts';

export interface AlertCandidate {
  /** One open alert per key at a time: kind and subject. */
  key: string;
  kind: Alert['kind'];
  severity: Alert['severity'];
  message: string;
  rule: string;
  subject: Alert['subject'];
  figures: AlertFigures;
  terms: AlertTerms;
  /** Where the subject is (a site's grid), or the town it concerns: tablets there get it. */
  gridId?: string | null;
  town?: string;
}

/** A kind's figures and terms with its Chinese words, as the alert stores them. */
export function worded(kind: Alert['kind'], figures: AlertFigures, terms: AlertTerms): AlertWords & { kind: Alert['kind']; figures: AlertFigures; terms: AlertTerms } {
  return { kind, ...ALERT_WORDS.zh[kind](figures, terms), figures, terms };
}
