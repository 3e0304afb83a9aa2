// English strings of the 120 centre's figures.
import type { Dictionary } from '../dictionary.ts';

export const kpis: Dictionary['kpis'] = {
  title: '120 KPIs',
  today: 'Today',
  week: 'Last 7 days',
  target: 'Target',
  none: '—',
  calls: 'Calls',
  rolling: 'Rolling within 3 min',
  rollingDef: 'Share of assigned tasks whose unit rolled within 3 minutes of assignment (tasks assigned under 3 minutes ago and not yet rolling are not counted)',
  response: 'Response time',
  responseDef: 'Call received to on scene, mean / p90',
  sameArea: 'Same area',
  crossArea: 'Cross area',
  areaDef: 'Whether the unit was in the pickup’s town when assigned',
  handover: 'Call to hand-over',
  handoverDef: 'Call received to hand-over, mean / p90',
  disinfection: 'Disinfection turnaround',
  disinfectionDef: 'Disinfection started to finished, mean / p90',
  npShare: 'Negative-pressure share',
  npShareDef: 'Negative-pressure ambulances as a share of the fleet',
  minutes: '{mean} / {p90} min',
  count: '{n}',
  below: 'below target',
  met: 'target met',
  loadFailed: 'KPIs failed to load',
};
