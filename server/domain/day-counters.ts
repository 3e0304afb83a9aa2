// "Today" on a site means the county's day (REPORT_TIME_ZONE): a sampling point's
// samplesToday and a hotel's check-ins and check-outs belong to the day in its
// `countsDay`. Every write of a site first brings it to the day of the write (counters
// from an earlier day start again at 0), and once a day every site nobody wrote since
// midnight is brought to the new day the same way (services/reports.ts), so the wall's
// 今日采样 and 今日入住 and the daily report never count yesterday as today.
// A site with no day yet (seeded, or stored before days were kept) is taken as today's.
import type { IsolationHotel, SamplingPoint } from '../schema/index.ts';

type DaySite = SamplingPoint | IsolationHotel;

const isHotel = (site: DaySite): site is IsolationHotel => 'checkInsToday' in site;

/** The site with its today-counters as of `date` (YYYY-MM-DD in the county's zone); the same object when nothing changes. */
export function onDay<S extends DaySite>(site: S, date: string): S {
  if (site.countsDay === date) return site;
  // A site whose day is later than this write's (another process's clock ahead): left as it is.
  if (site.countsDay !== undefined && site.countsDay > date) return site;
  if (site.countsDay === undefined) return { ...site, countsDay: date };
  return isHotel(site) ? { ...site, countsDay: date, checkInsToday: 0, checkOutsToday: 0 } : { ...site, countsDay: date, samplesToday: 0 };
}

/** What a site counted on `date`: its counters when they are that day's, else none. */
export function countsOn(site: DaySite, date: string): { samples: number; checkIns: number; checkOuts: number } {
  const today = site.countsDay === undefined || site.countsDay === date;
  if (isHotel(site)) return { samples: 0, checkIns: today ? site.checkInsToday : 0, checkOuts: today ? site.checkOutsToday : 0 };
  return { samples: today ? site.samplesToday : 0, checkIns: 0, checkOuts: 0 };
}
