// The county's time zone for every clock on screen (its data's, or REPORT_TIME_ZONE, as
// /api/health and /api/client-config say; China's until the board has said), and date
// formatters in it, made once per zone and options. Plain state, not runes: freshness.ts
// and the tests that run it in Node import this; the clocks re-format each second anyway.
let zone = 'Asia/Shanghai';
const formats = new Map<string, Intl.DateTimeFormat>();

export function countyTimeZone(): string {
  return zone;
}

export function setCountyTimeZone(next: string | undefined): void {
  if (next) zone = next;
}

/** A formatter in the county's zone. */
export function countyFormat(locale: string, options: Omit<Intl.DateTimeFormatOptions, 'timeZone'>): Intl.DateTimeFormat {
  const key = `${zone}|${locale}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone })));
  return f;
}

/** A moment as the county's clock shows it: its time of day ("14:05:09"). */
export const countyClock = (locale: string, ms: number): string => new Date(ms).toLocaleTimeString(locale, { hour12: false, timeZone: zone });
/** A moment as the county's calendar and clock show it, in the locale's full form, or with the options given. */
export const countyDateTime = (locale: string, ms: number, options: Omit<Intl.DateTimeFormatOptions, 'timeZone'> = {}): string =>
  new Date(ms).toLocaleString(locale, { ...options, timeZone: zone });
/** The county's date of a moment. */
export const countyDate = (locale: string, ms: number): string => new Date(ms).toLocaleDateString(locale, { timeZone: zone });
