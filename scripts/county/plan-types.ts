// The shape of a county's generation plan (scripts/county/plan.ts derives one from a
// county's data; scripts/county/guazhou.ts is the sample's, written by hand).
import type { Hospital } from '../../server/schema/index.ts';
import type { Trunk } from './roads.ts';

export type HospitalSpec = [id: string, name: string, role: Hospital['role'], town: string, open: boolean, treatment: number, icu: number, isolation: number, fill: number];

export interface SitePlan {
  seat: string;
  /** Call signs start with it: 瓜州负压01, 瓜州120-01. */
  callSign: string;
  hotels: [town: string, name: string][];
  hospitals: HospitalSpec[];
  /** Ambulance stations: at a hospital (its index in hospitals) or at a town's centre (its name). */
  stations: [name: string, at: number | string][];
  decontamination: [id: string, name: string, town: string, metres: number][];
}

export interface CountyPlan {
  code: string;
  name: string;
  /** The name without its suffix: 瓜州县 → 瓜州. */
  short: string;
  /** The latitude distances are scaled at. */
  latitude: number;
  population: number;
  gridCount: number;
  /** Grids where almost nobody lives (desert, mountain, water), large and sparse. */
  sparseGrids: number;
  seat: string;
  /** The other town with a risk cluster and bigger communities. */
  secondTown: string;
  townCentres: Record<string, [number, number]>;
  /** Villages stand ringM + random × spreadM from their town, at least spacingM apart, north–south scaled by squeeze. */
  villages: { ringM: number; spreadM: number; squeeze: number; spacingM: number };
  trunks: Trunk[];
  sites: SitePlan;
  /** Terminal ids start with it: GZ00001. */
  terminalPrefix: string;
}
