// Who may do what: the one table a reviewer reads. Every write route names its action.
// Admins manage accounts, imports and configuration and read the rest; the people who
// run the response (commanders, dispatchers, field leads) change the live state.
import type { Role } from '../schema/index.ts';

export const permissions = {
  /** Read the live state, grids and county. */
  'live:read': ['admin', 'commander', 'dispatcher', 'field', 'wall'],
  'samplingPoints:update': ['commander', 'field'],
  'hotels:update': ['commander'],
  'hospitals:update': ['commander', 'dispatcher'],
  /** Positions from a tracking gateway (it signs in as a dispatcher account). */
  'ambulances:position': ['dispatcher'],
  /** A unit off a task going offline or back on duty. */
  'ambulances:status': ['dispatcher'],
  /** Ask for the unit and destination for a call (reads only). */
  'dispatch:recommend': ['commander', 'dispatcher'],
  /** Coverage per grid, with the units and the move-up suggestions (the wall gets the county's figures only; admins read, as the console they may open shows it). */
  'coverage:read': ['admin', 'commander', 'dispatcher'],
  /** Accept a move-up suggestion (the unit's move task) and end a move. */
  'moves:write': ['dispatcher'],
  /** Set a grid's risk level (sealing one controls its neighbours). */
  'grids:risk': ['commander'],
  /** Acknowledge and resolve alerts. */
  'alerts:manage': ['commander'],
  /** Create transfer tasks, assign units, move tasks through their steps. */
  'transfers:write': ['dispatcher'],
  /** Send a batch of samples to the lab (a field lead: from their own points only). */
  'sampleBatches:create': ['commander', 'field'],
  /** Record that the lab reported a batch. */
  'sampleBatches:result': ['commander'],
  /** Create accounts, change their role, scope and status, reset passwords, revoke sessions. */
  'accounts:manage': ['admin'],
  /** Start and end mass-testing rounds (全员核酸检测). */
  'rounds:manage': ['commander'],
  /** Report people sampled per grid in a round (a field lead: in the towns of their own points). */
  'rounds:report': ['commander', 'field'],
  /** Download the current state of a map layer as GeoJSON. */
  'export:read': ['admin', 'commander'],
  /** Import sampling points, hotels, hospitals and vehicles from CSV or XLSX (upload, commit, cancel). */
  'imports:write': ['admin'],
  /** List vehicles with their terminals and the unknown terminals; bind, rebind and unbind them. */
  'terminals:manage': ['admin'],
  /** Browse and export the audit log. */
  'audit:read': ['admin'],
  /** Read the API's OpenAPI description (GET /api/openapi.json). */
  'api:describe': ['admin'],
  /** List, read and download the daily reports (日报). */
  'reports:read': ['admin', 'commander'],
  /** Make today's report now, before or after the scheduled one. */
  'reports:generate': ['admin', 'commander'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof permissions;

export function can(role: Role, action: Action): boolean {
  return (permissions[action] as readonly Role[]).includes(role);
}
