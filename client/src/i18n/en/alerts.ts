// en strings of the alerts panel (board and dispatcher console).
import type { Dictionary } from '../dictionary.ts';

export const alerts: Dictionary['alerts'] = {
  title: 'Alerts',
  summary: '{open} to acknowledge, {acknowledged} being handled',
  none: 'No alerts',
  acknowledge: 'Acknowledge',
  resolve: 'Resolve',
  reasonLabel: 'Reason',
  reasonDefault: 'Handled',
  confirm: 'OK',
  cancel: 'Cancel',
  acknowledgedBy: 'acknowledged by {by} at {at}',
  rule: 'Rule: {rule}',
  failed: 'Not done: {message}',
  collapse: 'Hide',
  expand: 'Show',
  severity: { critical: 'Critical', warning: 'Warning', info: 'Notice' },
};
