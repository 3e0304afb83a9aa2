// The mass-testing round as the screens show it: the round in progress (or, when none,
// the latest one) judged by the same pure rules the server's alerts and report use.
import type { LiveCollections } from '../../../server/schema/index.ts';
import { roundProgress, type RoundProgress, type RoundState } from '../../../server/domain/testing-round.ts';
import { locale } from './i18n.ts';
import { countyDateTime } from './county-time.ts';

/** The round to show and its progress as of `now`, or null when the store holds none. */
export function shownRound(c: LiveCollections, now: number, behindMargin?: number): RoundProgress | null {
  const rounds = Object.values(c.testingRounds);
  const round = rounds.find((r) => r.status === 'active') ?? rounds.sort((a, b) => b.startedAt - a.startedAt)[0];
  return round ? roundProgress(round, Object.values(c.roundGrids), now, behindMargin) : null;
}

export const STATE_COLOR: Record<RoundState, string> = { 'on-track': 'var(--ok)', behind: 'var(--warn)', overdue: 'var(--danger)', done: 'var(--accent)' };

/** A share as a whole percentage, capped at the display's 100 % for bars. */
export const pct = (x: number): string => `${Math.round(x * 100)}%`;
export const barWidth = (x: number): string => `${Math.min(100, Math.max(0, x * 100))}%`;
/** Days with one decimal. */
export const days = (d: number): string => String(Math.round(Math.abs(d) * 10) / 10);
/** A deadline days away: its date and time, in the county. */
export const dateTime = (ms: number): string => countyDateTime(locale, ms, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
