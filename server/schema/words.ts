// Words and paths both sides need: the Chinese names of a few enum values (the daily
// report, the EDXL export and the zh dictionary say them alike), and the client's view
// paths (the server serves each as the app's page). The client's dictionaries and
// router take them from here, so the server never imports client code.
import type { HospitalRole } from './entities.ts';
import type { TransferStatus } from './tasks.ts';

export const HOSPITAL_ROLE_ZH: Record<HospitalRole, string> = {
  designated: '定点医院',
  reserve: '后备定点医院',
  makeshift: '方舱医院',
  'fever-clinic': '发热门诊',
};

export const TASK_STATUS_ZH: Record<TransferStatus, string> = {
  created: '待派车',
  assigned: '已派车',
  'en-route': '前往现场',
  'on-scene': '到达现场',
  transporting: '转运中',
  'handed-over': '已交接',
  disinfecting: '终末消毒',
  closed: '已完成',
  cancelled: '已取消',
};

export type View = 'board' | 'wall' | 'dispatch' | 'field' | 'reports' | 'accounts' | 'imports' | 'vehicles';

export const viewPaths: Record<View, string> = {
  board: '/board',
  wall: '/wall',
  dispatch: '/dispatch',
  field: '/field',
  reports: '/reports',
  accounts: '/accounts',
  imports: '/imports',
  vehicles: '/vehicles',
};
