// The 120 center's dispatch rules (DOMAIN.md, "Dispatch rules"), as a pure function
// from the dispatcher's answers to the crew required, the class of destination and
// the rule that applied, in words a dispatcher reads out:
//   1. epidemiological history reported and the patient stable → the dedicated
//      transfer crew (negative-pressure ambulance);
//   2. history reported and the patient critical or condition unknown, or no history
//      → the nearest ordinary ambulance, crew in enhanced protection;
//   3. a medical facility that cannot receive a highly suspected fever patient asks
//      for transfer → the dedicated transfer crew, destination the designated hospital.
// The rules are written for calls about fever or respiratory symptoms. A call
// without them is routine: the nearest ordinary ambulance, standard protection. A
// suspected case (symptoms and a reported history) goes to the designated hospital
// whatever crew carries it; fever without history goes to a fever clinic.

import type { CallAnswers } from '../schema/index.ts';

export type { CallAnswers };
export type Condition = CallAnswers['condition'];
/** The four history questions: 14-day travel, residence, contact, exposure. */
export type EpiHistory = CallAnswers['history'];

export type RuleNumber = 1 | 2 | 3;
/** 'negative-pressure': the dedicated transfer crew; 'ordinary-enhanced': nearest ordinary unit, enhanced protection. */
export type CrewRequirement = 'negative-pressure' | 'ordinary-enhanced' | 'ordinary';
export type DestinationClass = 'designated' | 'fever-clinic' | 'nearest-hospital';

export interface DispatchDecision {
  /** The rule of the 120 center that applied; null for a routine call. */
  rule: RuleNumber | null;
  crew: CrewRequirement;
  destination: DestinationClass;
  /** A suspected case: symptoms with a reported history, or a facility's highly suspected patient. */
  suspected: boolean;
  /** Why, in the dispatcher's words (zh-CN and English). */
  reason: { zh: string; en: string };
}

export const hasHistory = (h: EpiHistory): boolean => h.travel || h.residence || h.contact || h.exposure;

const HISTORY_WORDS: Record<keyof EpiHistory, { zh: string; en: string }> = {
  travel: { zh: '旅居史', en: 'travel' },
  residence: { zh: '居住史', en: 'residence' },
  contact: { zh: '接触史', en: 'contact' },
  exposure: { zh: '暴露史', en: 'exposure' },
};

const historyWords = (h: EpiHistory): { zh: string; en: string } => {
  const items = (Object.keys(HISTORY_WORDS) as (keyof EpiHistory)[]).filter((item) => h[item]);
  return { zh: items.map((i) => HISTORY_WORDS[i].zh).join('、'), en: items.map((i) => HISTORY_WORDS[i].en).join(', ') };
};

const conditionWords: Record<Condition, { zh: string; en: string }> = {
  stable: { zh: '病情稳定', en: 'stable' },
  critical: { zh: '病情危重', en: 'critical' },
  unknown: { zh: '病情不明', en: 'condition unknown' },
};

export function decideDispatch(call: CallAnswers): DispatchDecision {
  if (call.facilityTransfer) {
    return {
      rule: 3,
      crew: 'negative-pressure',
      destination: 'designated',
      suspected: true,
      reason: {
        zh: '规则3：医疗机构无法收治的高度疑似发热患者申请转运，派专用转运车组（负压救护车），送定点医院。',
        en: 'Rule 3: a medical facility that cannot receive a highly suspected fever patient asks for transfer: the dedicated transfer crew (negative-pressure ambulance), to the designated hospital.',
      },
    };
  }
  const history = hasHistory(call.history);
  const condition = conditionWords[call.condition];
  if (!call.symptoms) {
    return {
      rule: null,
      crew: 'ordinary',
      destination: 'nearest-hospital',
      suspected: false,
      reason: {
        zh: '无发热或呼吸道症状：按常规急救调派最近的普通救护车。' + (history ? `已报告${historyWords(call.history).zh}，请提醒车组注意防护。` : ''),
        en:
          'No fever or respiratory symptoms: routine dispatch of the nearest ordinary ambulance.' +
          (history ? ` History reported (${historyWords(call.history).en}): remind the crew to take precautions.` : ''),
      },
    };
  }
  if (history && call.condition === 'stable') {
    const words = historyWords(call.history);
    return {
      rule: 1,
      crew: 'negative-pressure',
      destination: 'designated',
      suspected: true,
      reason: {
        zh: `规则1：有${words.zh}且${condition.zh}，派专用转运车组（负压救护车），送定点医院。`,
        en: `Rule 1: history reported (${words.en}) and the patient ${condition.en}: the dedicated transfer crew (negative-pressure ambulance), to the designated hospital.`,
      },
    };
  }
  if (history) {
    const words = historyWords(call.history);
    return {
      rule: 2,
      crew: 'ordinary-enhanced',
      destination: 'designated',
      suspected: true,
      reason: {
        zh: `规则2：有${words.zh}但${condition.zh}，派最近的普通救护车，车组加强防护，送定点医院。`,
        en: `Rule 2: history reported (${words.en}) but the patient is ${condition.en}: the nearest ordinary ambulance, crew in enhanced protection, to the designated hospital.`,
      },
    };
  }
  return {
    rule: 2,
    crew: 'ordinary-enhanced',
    destination: 'fever-clinic',
    suspected: false,
    reason: {
      zh: '规则2：有发热或呼吸道症状、无流行病学史，派最近的普通救护车，车组加强防护，送发热门诊。',
      en: 'Rule 2: fever or respiratory symptoms and no epidemiological history: the nearest ordinary ambulance, crew in enhanced protection, to a fever clinic.',
    },
  };
}
