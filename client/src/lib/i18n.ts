// The board's language: zh-CN by default, English on request (?lang=en, or the switch,
// which remembers the choice on this device and reloads). Every string the UI shows
// comes from the one dictionary of the chosen language (client/src/i18n/<lang>/).
import { zh } from '../i18n/zh/index.ts';
import { en } from '../i18n/en/index.ts';
import type { Dictionary } from '../i18n/dictionary.ts';
import { storageKey } from './storage-key.ts';

export type Lang = 'zh' | 'en';
const STORAGE_KEY = storageKey('lang');

function chosenLang(): Lang {
  try {
    const asked = new URLSearchParams(location.search).get('lang');
    if (asked === 'zh' || asked === 'en') return asked;
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export const lang: Lang = chosenLang();
export const locale = lang === 'en' ? 'en-GB' : 'zh-CN';
export const dict: Dictionary = lang === 'en' ? en : zh;
if (typeof document !== 'undefined') document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';

/** Switches language: remembered on this device, applied by reloading the page. */
export function setLang(next: Lang): void {
  localStorage.setItem(STORAGE_KEY, next);
  const url = new URL(location.href);
  url.searchParams.delete('lang');
  location.replace(url);
}

/** Fills `{name}` placeholders: fill('{n} 分钟', { n: 5 }). */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** A count in the board's locale (thousands separators). */
export const num = (n: number): string => n.toLocaleString(locale);

const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
/** A count that must fit a wall's card: from 100,000 on, in 万 (or K), e.g. 11.6万. */
export const big = (n: number): string => (n >= 100_000 ? compact.format(n) : num(n));

export const t = dict.common;
/** Between the items of a list in running text (、 in Chinese). */
export const listSeparator = t.listSeparator;
export const appSubtitle = t.appSubtitle;
export const roleLabel = dict.labels.role;
export const riskLabel = dict.labels.risk;
export const queueLevelLabel = dict.labels.queueLevel;
export const samplingStatusLabel = dict.labels.samplingStatus;
export const samplingKindLabel = dict.labels.samplingKind;
export const servesLabel = dict.labels.serves;
export const hospitalRoleLabel = dict.labels.hospitalRole;
export const hospitalMark = dict.labels.hospitalMark;
export const ambulanceKindLabel = dict.labels.ambulanceKind;
export const ambulanceStatusLabel = dict.labels.ambulanceStatus;
