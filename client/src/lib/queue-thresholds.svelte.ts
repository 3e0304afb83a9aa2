// The county's queue thresholds as reactive state: a card or layer that grades a point
// regrades it when the server's thresholds arrive (see queue-level.ts).
import { DEFAULT_QUEUE_THRESHOLDS, type QueueThresholds } from '../../../server/domain/queue-level.ts';

export const queueThresholds = $state<{ value: QueueThresholds }>({ value: DEFAULT_QUEUE_THRESHOLDS });
