// zh-CN labels for every enum the board shows, in the words of the command center.
import {
  HOSPITAL_ROLE_ZH,
  type AmbulanceKind,
  type AmbulanceStatus,
  type HospitalRole,
  type RiskLevel,
  type Role,
  type SamplingPoint,
  type SamplingPointStatus,
} from '../../../../server/schema/index.ts';
import type { QueueLevel } from '../../lib/queue-level.ts';

export const labels = {
  role: {
    admin: '系统管理员',
    commander: '指挥长',
    dispatcher: '120调度员',
    field: '采样点负责人',
    wall: '指挥大屏',
  } satisfies Record<Role, string>,
  risk: {
    low: '低风险',
    medium: '中风险',
    high: '高风险',
    precaution: '防范区',
    controlled: '管控区',
    sealed: '封控区',
  } satisfies Record<RiskLevel, string>,
  queueLevel: {
    smooth: '畅通',
    busy: '忙碌',
    congested: '拥堵',
    resting: '休息',
  } satisfies Record<QueueLevel, string>,
  samplingStatus: {
    open: '开放',
    paused: '暂停',
    closed: '关闭',
  } satisfies Record<SamplingPointStatus, string>,
  samplingKind: {
    fixed: '固定采样点',
    convenience: '便民采样点',
    mobile: '流动采样车',
  } satisfies Record<SamplingPoint['kind'], string>,
  serves: {
    all: '面向所有人群',
    'key-groups': '仅限重点人群',
  } satisfies Record<SamplingPoint['serves'], string>,
  hospitalRole: HOSPITAL_ROLE_ZH,
  /** One-character marks drawn on hospital symbols (rendered from local fonts). */
  hospitalMark: {
    designated: '定',
    reserve: '备',
    makeshift: '舱',
    'fever-clinic': '热',
  } satisfies Record<HospitalRole, string>,
  ambulanceKind: {
    'negative-pressure': '负压救护车',
    ordinary: '普通救护车',
  } satisfies Record<AmbulanceKind, string>,
  ambulanceStatus: {
    available: '待命',
    dispatched: '出车',
    'on-scene': '到达现场',
    transporting: '转运中',
    'handed-over': '已交接',
    disinfecting: '洗消中',
    offline: '离线',
  } satisfies Record<AmbulanceStatus, string>,
};
