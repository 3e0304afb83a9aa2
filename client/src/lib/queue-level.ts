// Sampling-point queue levels (畅通 / 忙碌 / 拥堵 / 休息). The rule is pure domain logic
// shared with the server, so the client uses the one implementation rather than a copy.
export {
  DEFAULT_QUEUE_THRESHOLDS,
  estimatedWaitMinutes,
  queueLevel,
  type QueueLevel,
  type QueueThresholds,
} from '../../../server/domain/queue-level.ts';
