// en strings of the daily reports page (/reports).
import type { Dictionary } from '../dictionary.ts';

export const reports: Dictionary['reports'] = {
  title: 'Daily reports',
  subtitle: 'Made every day at {due} ({tz}) for the command office',
  generate: 'Make today’s report now',
  generating: 'Making…',
  generated: 'Report for {date} made',
  empty: 'No reports yet. One is made at {due}; you can also make one now.',
  loading: 'Loading reports…',
  date: 'Date',
  kind: 'Kind',
  made: 'Made at',
  download: 'Download',
  scheduled: 'Scheduled',
  onDemand: 'On demand',
  zero: 'Zero report',
  daily: 'Daily report',
  preview: 'Preview',
  nothingToday: '(none today)',
  exports: 'Data export',
  exportsHint: 'Current state of each layer as GeoJSON (WGS-84), no personal names',
  layers: { grids: 'Grid risk levels', samplingPoints: 'Sampling points', hotels: 'Isolation hotels', hospitals: 'Hospitals', ambulances: 'Ambulance positions' },
  have: 'Hospital beds (EDXL-HAVE 1.0)',
  haveHint: 'Free and total beds of each hospital by bed type, with full categories marked, as XML for other agencies’ hospital-availability systems',
  failed: 'Not done: {message}',
};
