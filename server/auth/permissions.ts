// Who may do what: the one table a reviewer reads. Every write route names its action.
import type { Role } from '../schema/index.ts';

export const permissions = {
  /** Read the live state, grids and county. */
  'live:read': ['admin', 'commander', 'dispatcher', 'field', 'wall'],
  'samplingPoints:update': ['admin', 'commander', 'field'],
  'hotels:update': ['admin', 'commander'],
  'hospitals:update': ['admin', 'commander', 'dispatcher'],
  'ambulances:position': ['admin', 'dispatcher'],
  /** A unit off a task going offline or back on duty. */
  'ambulances:status': ['dispatcher'],
  /** Ask for the unit and destination for a call (reads only). */
  'dispatch:recommend': ['commander', 'dispatcher'],
  /** Acknowledge and resolve alerts. */
  'alerts:manage': ['commander'],
  /** Create transfer tasks, assign units, move tasks through their steps. */
  'transfers:write': ['dispatcher'],
  /** Send a batch of samples to the lab (a field lead: from their own points only). */
  'sampleBatches:create': ['admin', 'commander', 'field'],
  /** Record that the lab reported a batch. */
  'sampleBatches:result': ['admin', 'commander'],
  /** Browse and export the audit log. */
  'audit:read': ['admin'],
  /** List, read and download the daily reports (日报). */
  'reports:read': ['admin', 'commander'],
  /** Make today's report now, before or after the scheduled one. */
  'reports:generate': ['admin', 'commander'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof permissions;

export function can(role: Role, action: Action): boolean {
  return (permissions[action] as readonly Role[]).includes(role);
}
