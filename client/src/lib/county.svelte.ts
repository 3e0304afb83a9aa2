// Which county the board serves, for every title: from /api/health before sign-in and
// /api/client-config after, remembered on the device so an offline tablet still says it.
import type { CountyInfo } from '../../../server/schema/index.ts';
import { dict, fill, lang } from './i18n.ts';
import { storageKey } from './storage-key.ts';
import { setCountyTimeZone } from './county-time.ts';

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
setCountyTimeZone(county.current?.timeZone);

/** The board's title for the county, e.g. 瓜州县疫情防控指挥部; without a county yet, the title alone. */
export function appTitleFor(c: CountyName | null): string {
  const name = c ? (lang === 'en' ? c.nameEn : c.name) : '';
  return fill(dict.common.appTitle, { county: name }).trim();
}

export function setCounty(next: CountyName): void {
  county.current = { code: next.code, name: next.name, nameEn: next.nameEn, timeZone: next.timeZone };
  setCountyTimeZone(next.timeZone);
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
