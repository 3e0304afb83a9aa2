// The en dictionary: one object, assembled from one file per part of the board.
import type { Dictionary } from '../dictionary.ts';
import { common } from './common.ts';
import { labels } from './labels.ts';
import { wall } from './wall.ts';
import { dispatch } from './dispatch.ts';
import { field } from './field.ts';
import { reports } from './reports.ts';
import { alerts } from './alerts.ts';
import { rounds } from './rounds.ts';
import { accounts } from './accounts.ts';
import { imports } from './imports.ts';
import { kpis } from './kpis.ts';
import { coverage } from './coverage.ts';
import { vehicles } from './vehicles.ts';

export const en: Dictionary = { common, labels, wall, dispatch, field, reports, alerts, accounts, rounds, imports, kpis, coverage, vehicles };
