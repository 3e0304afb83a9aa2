// Every alert in both languages from its kind, figures and terms: the Chinese words are
// the ones the rules store, and an English screen words the same alert in English, with
// only the names (the terms) left in Chinese.
import { describe, expect, it } from 'vitest';
import { alertCandidates } from '../../server/domain/alert-rules.ts';
import { coverageAlertCandidates } from '../../server/domain/coverage.ts';
import { ALERT_WORDS, Alert, emptyCollections, wordAlert, type AlertFigures, type AlertTerms } from '../../server/schema/index.ts';
import { ambulance, samplingPoint } from '../helpers/fixtures.ts';

const CJK = /[\u3400-\u9fff\uff08\uff09\uff0c\uff1a\u3001]/;
const examples: Record<Alert['kind'], [AlertFigures, AlertTerms]> = {
  'hospital-escalation': [
    { occupancy: 0.86, threshold: 0.85 },
    { name: '瓜州县人民医院', tier: 'designated' },
  ],
  'staffing-shortfall': [{ people: 45, doctors: 1, nurses: 2, doctorsShort: 2, nursesShort: 1, needDoctors: 3, needNurses: 3, peoplePerStaff: 20 }, { name: '锁阳宾馆' }],
  'queue-crowded': [
    { queue: 60, waitMinutes: 55, congestedMinutes: 50, alt1Km: 1.24 },
    { name: '渊泉社区采样点', alt1: '东关采样点' },
  ],
  'fix-stale': [{ ageSeconds: 300, staleSeconds: 120 }, { callSign: '瓜州负压01' }],
  'turnaround-overdue': [
    { samples: 40, ageMinutes: 430, ageHours: 7, limitHours: 6 },
    { source: '县医院发热门诊', category: 'fever-emergency' },
  ],
  'np-ambulance-shortage': [{ available: 0, total: 6 }, {}],
  'round-behind': [
    { share: 0.31, expected: 0.5, remaining: 4200, daysLeft: 1.26, behindMargin: 0.1, deadlineDays: 3 },
    { round: '第3轮全员核酸', town: '西湖镇' },
  ],
  'round-overdue': [{ gridsOpen: 12, share: 0.93, remaining: 900, deadlineDays: 3 }, { round: '第3轮全员核酸' }],
  'coverage-gap': [{ share: 0.2, population: 6924, thresholdMinutes: 60 }, { town: '三道沟镇' }],
};

describe('alert words', () => {
  it('words every kind in both languages; English keeps only the names in Chinese', () => {
    for (const [kind, [figures, terms]] of Object.entries(examples) as [Alert['kind'], [AlertFigures, AlertTerms]][]) {
      const zh = ALERT_WORDS.zh[kind](figures, terms);
      const en = ALERT_WORDS.en[kind](figures, terms);
      expect(zh.message, kind).toMatch(CJK);
      expect(zh.rule, kind).toMatch(CJK);
      let bare = en.message + en.rule;
      for (const name of Object.values(terms)) bare = bare.split(name).join('');
      expect(bare, `${kind}: ${en.message} / ${en.rule}`).not.toMatch(CJK);
      expect(bare, kind).not.toMatch(/undefined|NaN/);
    }
  });

  it('says the figures it is given', () => {
    const [f, t] = examples['queue-crowded'];
    expect(ALERT_WORDS.zh['queue-crowded'](f, t).message).toBe('渊泉社区采样点排队60人，预计等待55分钟（拥堵），可引导至东关采样点（1.2公里）');
    expect(ALERT_WORDS.en['queue-crowded'](f, t).message).toBe('渊泉社区采样点: 60 queuing, about 55 min wait (crowded); send people on to 东关采样点 (1.2 km)');
    expect(ALERT_WORDS.en['coverage-gap'](...examples['coverage-gap']).message).toBe(
      '三道沟镇: only 20% of its people (6924) within 60 min of a negative-pressure ambulance; move a unit to stand by',
    );
    expect(ALERT_WORDS.en['turnaround-overdue'](...examples['turnaround-overdue']).rule).toBe('fever clinic / emergency samples: result within 6 h');
  });

  it('words the rules’ own candidates again in English, and the stored Chinese is the zh wording', () => {
    const c = emptyCollections();
    c.samplingPoints.a = samplingPoint('a', { name: '甲点', location: [95.78, 40.52], queue: 50, desks: 1, deskThroughput: 60, status: 'open', serves: 'all' });
    c.ambulances.u = ambulance('u', 95.78, 40.52, { callSign: '瓜州120-09', fix: { lng: 95.78, lat: 40.52, at: 0, speed: 0, heading: 0 } });
    const found = [
      ...alertCandidates(c, 600_000, { escalation: 0.85, fixStaleMs: 120_000 }),
      ...coverageAlertCandidates({
        thresholdsMin: [15, 30, 60],
        population: 10,
        within: [],
        towns: [{ name: '乙镇', population: 10, negativePressureShare: 0, uncovered: true }],
        uncoveredTowns: ['乙镇'],
      }),
    ];
    expect(found.map((a) => a.kind).sort()).toEqual(['coverage-gap', 'fix-stale', 'queue-crowded']);
    for (const [i, a] of found.entries()) {
      const stored = Alert.parse({
        id: `a${i}`,
        kind: a.kind,
        severity: a.severity,
        message: a.message,
        rule: a.rule,
        figures: a.figures,
        terms: a.terms,
        subject: a.subject,
        status: 'open',
        raisedAt: 0,
        updatedAt: 0,
      });
      expect(wordAlert(stored, 'zh')).toEqual({ message: a.message, rule: a.rule });
      expect(wordAlert(stored, 'en').message).not.toBe(a.message);
    }
    expect(
      wordAlert(
        found.find((a) => a.kind === 'fix-stale')!,
        'en',
      ).message,
    ).toBe('瓜州120-09: no position for over 120 s');
  });

  it('keeps the words an alert was raised with when it was stored without terms', () => {
    const old = { kind: 'fix-stale' as const, message: '瓜州120-01定位超过120秒未更新', rule: '定位超过120秒视为位置不明', figures: { ageSeconds: 200 } };
    expect(wordAlert(old, 'en')).toEqual({ message: old.message, rule: old.rule });
  });
});
