// The 120 center's rules against the complete table of answers: 2 (facility transfer)
// × 2 (symptoms) × 16 (the four history questions) × 3 (condition) = 192 calls, each
// checked against the row written out below for its facility/symptoms/any-history/
// condition, and its reason checked to name the rule and every history item reported.
import { describe, expect, it } from 'vitest';
import { decideDispatch, type CallAnswers, type Condition, type CrewRequirement, type DestinationClass } from '../../server/domain/dispatch-rules.ts';

type Row = [rule: 1 | 2 | 3 | null, crew: CrewRequirement, destination: DestinationClass, suspected: boolean];
const NP = 'negative-pressure';
const ENH = 'ordinary-enhanced';

// key: facility/symptoms/history/condition
const table: Record<string, Row> = {
  // Rule 3 whatever else is said.
  ...Object.fromEntries(
    ['yes', 'no'].flatMap((s) => ['yes', 'no'].flatMap((h) => ['stable', 'critical', 'unknown'].map((c) => [`facility/${s}/${h}/${c}`, [3, NP, 'designated', true] as Row]))),
  ),
  'call/yes/yes/stable': [1, NP, 'designated', true],
  'call/yes/yes/critical': [2, ENH, 'designated', true],
  'call/yes/yes/unknown': [2, ENH, 'designated', true],
  'call/yes/no/stable': [2, ENH, 'fever-clinic', false],
  'call/yes/no/critical': [2, ENH, 'fever-clinic', false],
  'call/yes/no/unknown': [2, ENH, 'fever-clinic', false],
  'call/no/yes/stable': [null, 'ordinary', 'nearest-hospital', false],
  'call/no/yes/critical': [null, 'ordinary', 'nearest-hospital', false],
  'call/no/yes/unknown': [null, 'ordinary', 'nearest-hospital', false],
  'call/no/no/stable': [null, 'ordinary', 'nearest-hospital', false],
  'call/no/no/critical': [null, 'ordinary', 'nearest-hospital', false],
  'call/no/no/unknown': [null, 'ordinary', 'nearest-hospital', false],
};

function* allCalls(): Generator<CallAnswers> {
  for (const facilityTransfer of [true, false])
    for (const symptoms of [true, false])
      for (let bits = 0; bits < 16; bits++)
        for (const condition of ['stable', 'critical', 'unknown'] as Condition[])
          yield {
            facilityTransfer,
            symptoms,
            condition,
            history: { travel: !!(bits & 1), residence: !!(bits & 2), contact: !!(bits & 4), exposure: !!(bits & 8) },
          };
}

describe('the 120 center dispatch rules', () => {
  it('has a row for every one of the 192 answer combinations, and follows it', () => {
    let n = 0;
    for (const call of allCalls()) {
      n++;
      const anyHistory = Object.values(call.history).some(Boolean);
      const key = `${call.facilityTransfer ? 'facility' : 'call'}/${call.symptoms ? 'yes' : 'no'}/${anyHistory ? 'yes' : 'no'}/${call.condition}`;
      const row = table[key];
      expect(row, key).toBeDefined();
      const d = decideDispatch(call);
      expect([d.rule, d.crew, d.destination, d.suspected], key).toEqual(row);
    }
    expect(n).toBe(192);
  });

  it('says in words which rule applied and names each history item reported', () => {
    const words = { travel: ['旅居史', 'travel'], residence: ['居住史', 'residence'], contact: ['接触史', 'contact'], exposure: ['暴露史', 'exposure'] };
    for (const call of allCalls()) {
      const d = decideDispatch(call);
      if (d.rule) {
        expect(d.reason.zh).toContain(`规则${d.rule}`);
        expect(d.reason.en).toContain(`Rule ${d.rule}`);
      } else {
        expect(d.reason.zh).toContain('常规');
      }
      if (call.facilityTransfer) continue;
      for (const [item, [zh, en]] of Object.entries(words)) {
        const reported = call.history[item as keyof typeof words];
        expect(d.reason.zh.includes(zh!), `${item} in ${d.reason.zh}`).toBe(reported);
        expect(d.reason.en.includes(en!), `${item} in ${d.reason.en}`).toBe(reported);
      }
    }
  });
});
