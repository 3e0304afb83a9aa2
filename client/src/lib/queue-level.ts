// Sampling-point queue levels (畅通 / 忙碌 / 拥堵 / 休息) and where to send a crowd. The
// rules are the server's domain modules, not copies; the thresholds are the county's
// (QUEUE_* on the server, from /api/client-config), so every screen grades a point alike.
import { DEFAULT_QUEUE_THRESHOLDS, queueLevel as levelWith, type QueueLevel, type QueueThresholds } from '../../../server/domain/queue-level.ts';
import { alternativesFor as alternativesWith, type Alternative, type AlternativeOptions } from '../../../server/domain/point-alternatives.ts';
import type { SamplingPoint } from '../../../server/schema/index.ts';
import { queueThresholds } from './queue-thresholds.svelte.ts';
import { storageKey } from './storage-key.ts';

export { DEFAULT_QUEUE_THRESHOLDS, estimatedWaitMinutes, type QueueLevel, type QueueThresholds } from '../../../server/domain/queue-level.ts';
export type { Alternative };

const STORAGE_KEY = storageKey('queue-thresholds');
queueThresholds.value = saved() ?? DEFAULT_QUEUE_THRESHOLDS;

function saved(): QueueThresholds | null {
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as QueueThresholds) : null;
  } catch {
    return null;
  }
}

/** The county's thresholds, from the server; kept on the device for offline tablets. */
export function setQueueThresholds(thresholds: QueueThresholds): void {
  queueThresholds.value = thresholds;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(thresholds));
  } catch {
    // Private mode or full: the thresholds still hold for this page.
  }
}

export function queueLevel(point: Pick<SamplingPoint, 'status' | 'queue' | 'desks' | 'deskThroughput'>): QueueLevel {
  return levelWith(point, queueThresholds.value);
}

type Candidate = Parameters<typeof alternativesWith>[0];
export function alternativesFor(point: Candidate, all: Iterable<Candidate>, options: Omit<AlternativeOptions, 'thresholds'> = {}): Alternative[] {
  return alternativesWith(point, all, { ...options, thresholds: queueThresholds.value });
}
