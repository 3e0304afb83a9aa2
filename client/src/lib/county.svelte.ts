// Which county the board serves, for every title: from /api/health before sign-in and
// /api/client-config after, remembered on the device so an offline tablet still says it.
import type { CountyInfo } from '../../../server/schema/index.ts';
import { dict, fill, lang } from './i18n.ts';
import { storageKey } from './storage-key.ts';

type CountyName = Pick<CountyInfo, 'name' | 'nameEn'> & Partial<Pick<CountyInfo, 'code' | 'timeZone'>>;
const STORAGE_KEY = storageKey('county');

function saved(): CountyName | null {
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
    const value = raw ? (JSON.parse(raw) as CountyName) : null;
    return value && typeof value.name === 'string' && typeof value.nameEn === 'string' ? value : null;
  } catch {
    return null;
  }
}

export const county = $state<{ current: CountyName | null }>({ current: saved() });

/** The board's title for the county, e.g. 瓜州县疫情防控指挥部; without a county yet, the title alone. */
export function appTitleFor(c: CountyName | null): string {
  const name = c ? (lang === 'en' ? c.nameEn : c.name) : '';
  return fill(dict.common.appTitle, { county: name }).trim();
}

/** The county's time zone (its data's, or REPORT_TIME_ZONE): the clocks show its time whatever the device's zone. China's, until the board has said. */
export function countyTimeZone(): string {
  return county.current?.timeZone ?? 'Asia/Shanghai';
}

// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache, not state: nothing renders from it
const formats = new Map<string, Intl.DateTimeFormat>();
/** A formatter in the county's zone (one per zone and options, made once). */
export function countyFormat(locale: string, options: Omit<Intl.DateTimeFormatOptions, 'timeZone'>): Intl.DateTimeFormat {
  const timeZone = countyTimeZone();
  const key = `${timeZone}|${locale}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(locale, { ...options, timeZone })));
  return f;
}

export function setCounty(next: CountyName): void {
  county.current = { code: next.code, name: next.name, nameEn: next.nameEn, timeZone: next.timeZone };
  if (typeof document !== 'undefined') document.title = `${appTitleFor(county.current)} · ${dict.common.appSubtitle}`;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(county.current));
  } catch {
    // A private window without storage: the name is shown, just not remembered.
  }
}

/** Asks the open /api/health which county this is (the sign-in screen, before any session). */
export async function learnCounty(): Promise<void> {
  try {
    const res = await fetch('/api/health');
    const body = (await res.json()) as { county?: CountyName };
    if (body.county?.name) setCounty(body.county);
  } catch {
    // Offline: the name remembered last time serves.
  }
}
