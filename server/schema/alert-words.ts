// Every alert in words, in each language of the board, from its kind, its figures and its
// terms (the names it concerns): the rules (server/domain) store the Chinese words with the
// alert for the daily report and the audit, and each screen words the same alert in its own
// language (client/src/lib/alert-text.ts). One place, so both languages say the same thing.
import type { Alert, SampleCategory } from './entities.ts';

export type AlertLang = 'zh' | 'en';
export type AlertFigures = Record<string, number>;
export type AlertTerms = Record<string, string>;
export interface AlertWords {
  message: string;
  rule: string;
}
type Wording = (f: AlertFigures, t: AlertTerms) => AlertWords;

export const SAMPLE_CATEGORY_WORDS: Record<AlertLang, Record<SampleCategory, string>> = {
  zh: { 'fever-emergency': '发热门诊/急诊', clinical: '门急诊/住院/陪护', voluntary: '愿检尽检' },
  en: { 'fever-emergency': 'fever clinic / emergency', clinical: 'outpatient / inpatient / carers', voluntary: 'voluntary' },
};

const pct = (x: number | undefined) => `${Math.round((x ?? 0) * 100)}%`;
const category = (lang: AlertLang, t: AlertTerms) => SAMPLE_CATEGORY_WORDS[lang][t.category as SampleCategory] ?? t.category ?? '';
/** Up to two nearby points to send people on to: alt1/alt2 with their distances alt1Km/alt2Km. */
const alternatives = (f: AlertFigures, t: AlertTerms, unit: string, open: string, close: string, sep: string) =>
  ['alt1', 'alt2']
    .filter((k) => t[k])
    .map((k) => `${t[k]}${open}${(f[`${k}Km`] ?? 0).toFixed(1)}${unit}${close}`)
    .join(sep);

const zh: Record<Alert['kind'], Wording> = {
  'hospital-escalation': (f, t) =>
    t.tier === 'reserve'
      ? { message: `${t.name}床位使用率${pct(f.occupancy)}，已达${pct(f.threshold)}启用阈值：启用方舱医院`, rule: `后备定点医院使用率 ≥ ${pct(f.threshold)} → 启用方舱医院` }
      : {
          message: `${t.name}床位使用率${pct(f.occupancy)}，已达${pct(f.threshold)}启用阈值：24小时内腾空后备定点医院，48小时内启用`,
          rule: `定点医院使用率 ≥ ${pct(f.threshold)} → 启用后备定点医院`,
        },
  'staffing-shortfall': (f, t) => ({
    message: `${t.name}在住${f.people}人，需医生${f.needDoctors}、护士${f.needNurses}，现有${f.doctors}、${f.nurses}`,
    rule: `每${f.peoplePerStaff}名隔离人员配备1名医生、1名护士`,
  }),
  'queue-crowded': (f, t) => {
    const alts = alternatives(f, t, '公里', '（', '）', '、');
    return {
      message: `${t.name}排队${f.queue}人，预计等待${f.waitMinutes! < 0 ? '—' : f.waitMinutes}分钟（拥堵）${alts ? `，可引导至${alts}` : ''}`,
      rule: `预计等待 ≥ ${f.congestedMinutes}分钟${f.congestedPeople === undefined ? '' : `或排队 ≥ ${f.congestedPeople}人`}为拥堵`,
    };
  },
  'fix-stale': (f, t) => ({ message: `${t.callSign}定位超过${f.staleSeconds}秒未更新`, rule: `定位超过${f.staleSeconds}秒视为位置不明` }),
  'turnaround-overdue': (f, t) => ({
    message: `${t.source}送检${f.samples}份（${category('zh', t)}）已${f.ageHours}小时未出结果，超过${f.limitHours}小时时限`,
    rule: `${category('zh', t)}样本${f.limitHours}小时内出结果`,
  }),
  'np-ambulance-shortage': (f) => ({ message: `全县无可用负压救护车（共${f.total}辆）`, rule: '全县可用负压救护车少于1辆' }),
  'round-behind': (f, t) => ({
    message: `${t.round}：${t.town}采样进度${pct(f.share)}，按期应达${pct(f.expected)}，进度滞后；剩余${Math.round((f.daysLeft ?? 0) * 10) / 10}天，尚有${f.remaining}人未采`,
    rule: `采样进度低于按期应达进度${Math.round((f.behindMargin ?? 0) * 100)}个百分点以上为进度滞后（${f.deadlineDays}天内完成全员采样）`,
  }),
  'round-overdue': (f, t) => ({
    message: `${t.round}已超过${f.deadlineDays}天时限，仍有${f.gridsOpen}个网格未完成采样（全县已采${pct(f.share)}，尚有${f.remaining}人未采）`,
    rule: `${f.deadlineDays}天内完成全员核酸采样`,
  }),
  'coverage-gap': (f, t) => ({
    message: `${t.town}负压救护车${f.thresholdMinutes}分钟覆盖人口仅${pct(f.share)}（${f.population}人），请调车待命`,
    rule: `乡镇过半人口${f.thresholdMinutes}分钟内无可派负压救护车 → 覆盖不足`,
  }),
};

const en: Record<Alert['kind'], Wording> = {
  'hospital-escalation': (f, t) =>
    t.tier === 'reserve'
      ? {
          message: `${t.name}: beds ${pct(f.occupancy)} occupied, at the ${pct(f.threshold)} threshold: open the makeshift hospital`,
          rule: `Reserve designated hospital ≥ ${pct(f.threshold)} occupied → open the makeshift hospital`,
        }
      : {
          message: `${t.name}: beds ${pct(f.occupancy)} occupied, at the ${pct(f.threshold)} threshold: clear the reserve designated hospital within 24 h, open it within 48 h`,
          rule: `Designated hospital ≥ ${pct(f.threshold)} occupied → open the reserve designated hospital`,
        },
  'staffing-shortfall': (f, t) => ({
    message: `${t.name}: ${f.people} in isolation need ${f.needDoctors} doctors and ${f.needNurses} nurses; on duty ${f.doctors} and ${f.nurses}`,
    rule: `One doctor and one nurse for every ${f.peoplePerStaff} people in isolation`,
  }),
  'queue-crowded': (f, t) => {
    const alts = alternatives(f, t, ' km', ' (', ')', ', ');
    return {
      message: `${t.name}: ${f.queue} queuing, about ${f.waitMinutes! < 0 ? '—' : f.waitMinutes} min wait (crowded)${alts ? `; send people on to ${alts}` : ''}`,
      rule: `Crowded at a wait of ≥ ${f.congestedMinutes} min${f.congestedPeople === undefined ? '' : ` or ≥ ${f.congestedPeople} queuing`}`,
    };
  },
  'fix-stale': (f, t) => ({ message: `${t.callSign}: no position for over ${f.staleSeconds} s`, rule: `Position unknown after ${f.staleSeconds} s without a fix` }),
  'turnaround-overdue': (f, t) => ({
    message: `${t.source}: ${f.samples} samples (${category('en', t)}) without a result after ${f.ageHours} h, over the ${f.limitHours} h limit`,
    rule: `${category('en', t)} samples: result within ${f.limitHours} h`,
  }),
  'np-ambulance-shortage': (f) => ({
    message: `No negative-pressure ambulance available in the county (${f.total} in all)`,
    rule: 'Fewer than 1 negative-pressure ambulance available in the county',
  }),
  'round-behind': (f, t) => ({
    message: `${t.round}: ${t.town} ${pct(f.share)} sampled, ${pct(f.expected)} due by now (behind); ${Math.round((f.daysLeft ?? 0) * 10) / 10} days left, ${f.remaining} people not yet sampled`,
    rule: `Behind: more than ${Math.round((f.behindMargin ?? 0) * 100)} points under the share due (everyone sampled within ${f.deadlineDays} days)`,
  }),
  'round-overdue': (f, t) => ({
    message: `${t.round} is past its ${f.deadlineDays}-day deadline with ${f.gridsOpen} grids unfinished (county ${pct(f.share)} sampled, ${f.remaining} people left)`,
    rule: `Everyone tested within ${f.deadlineDays} days`,
  }),
  'coverage-gap': (f, t) => ({
    message: `${t.town}: only ${pct(f.share)} of its people (${f.population}) within ${f.thresholdMinutes} min of a negative-pressure ambulance; move a unit to stand by`,
    rule: `Over half a town's people beyond ${f.thresholdMinutes} min of a free negative-pressure ambulance → coverage gap`,
  }),
};

export const ALERT_WORDS: Record<AlertLang, Record<Alert['kind'], Wording>> = { zh, en };

/** An alert in `lang`: from its kind, figures and terms; an alert stored without terms (raised before they were kept) keeps the words it was raised with. */
export function wordAlert(alert: Pick<Alert, 'kind' | 'message' | 'rule' | 'figures' | 'terms'>, lang: AlertLang): AlertWords {
  if (!alert.terms || !alert.figures) return { message: alert.message, rule: alert.rule ?? '' };
  return ALERT_WORDS[lang][alert.kind](alert.figures, alert.terms);
}
