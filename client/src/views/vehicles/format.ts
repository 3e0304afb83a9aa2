// How the vehicles page words a time: "12 s ago" for a terminal's last message, a local
// date and time (the county's) for a change.
import { dict, fill, locale } from '../../lib/i18n.ts';
import { countyDateTime } from '../../lib/county-time.ts';

const v = dict.vehicles;

/** How long before `now` a message came, in seconds, minutes or hours. */
export function ago(now: number, at: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  return s < 60 ? fill(v.ago, { n: s }) : s < 3600 ? fill(v.agoMin, { n: Math.floor(s / 60) }) : fill(v.agoHour, { n: Math.floor(s / 3600) });
}

export const when = (at: number | null): string => (at === null ? '—' : countyDateTime(locale, at));
