// zh-CN labels for every enum the board shows, in the words of the command center.
import type {
  AmbulanceKind,
  AmbulanceStatus,
  HospitalRole,
  RiskLevel,
  Role,
  SamplingPoint,
  SamplingPointStatus,
} from '../../../server/schema/index.ts';
import type { QueueLevel } from './queue-level.ts';

export const appTitle = '瓜州县疫情防控指挥部';
export const appSubtitle = '实时态势';

export const roleLabel: Record<Role, string> = {
  admin: '系统管理员',
  commander: '指挥长',
  dispatcher: '120调度员',
  field: '采样点负责人',
  wall: '指挥大屏',
};

export const riskLabel: Record<RiskLevel, string> = {
  low: '低风险',
  medium: '中风险',
  high: '高风险',
  precaution: '防范区',
  controlled: '管控区',
  sealed: '封控区',
};

export const queueLevelLabel: Record<QueueLevel, string> = {
  smooth: '畅通',
  busy: '忙碌',
  congested: '拥堵',
  resting: '休息',
};

export const samplingStatusLabel: Record<SamplingPointStatus, string> = {
  open: '开放',
  paused: '暂停',
  closed: '关闭',
};

export const samplingKindLabel: Record<SamplingPoint['kind'], string> = {
  fixed: '固定采样点',
  convenience: '便民采样点',
  mobile: '流动采样车',
};

export const servesLabel: Record<SamplingPoint['serves'], string> = {
  all: '面向所有人群',
  'key-groups': '仅限重点人群',
};

export const hospitalRoleLabel: Record<HospitalRole, string> = {
  designated: '定点医院',
  reserve: '后备定点医院',
  makeshift: '方舱医院',
  'fever-clinic': '发热门诊',
};

export const ambulanceKindLabel: Record<AmbulanceKind, string> = {
  'negative-pressure': '负压救护车',
  ordinary: '普通救护车',
};

export const ambulanceStatusLabel: Record<AmbulanceStatus, string> = {
  available: '待命',
  dispatched: '出车',
  'on-scene': '到达现场',
  transporting: '转运中',
  'handed-over': '已交接',
  disinfecting: '洗消中',
  offline: '离线',
};

export const t = {
  username: '用户名',
  password: '密码',
  signIn: '登录',
  signingIn: '登录中…',
  signOut: '退出',
  badCredentials: '用户名或密码错误',
  badRequest: '请输入用户名和密码',
  networkError: '无法连接服务器，请稍后重试',
  serverError: '服务器错误，请稍后重试',
  loadFailed: '地图数据加载失败',
  retry: '重试',
  live: '实时',
  offline: '连接中断',
  stale: '数据延迟',
  syncing: '同步中',
  connecting: '连接中…',
  updatedAt: '数据更新于',
  legend: '图例',
  grid: '网格',
  riskLevel: '风险等级',
  samplingPoints: '核酸采样点',
  queueing: '排队人数',
  estimatedWait: '预计等待',
  desks: '采样台',
  samplesToday: '今日采样',
  hours: '服务时间',
  allDay: '24小时',
  hotels: '集中隔离点',
  inIsolation: '在住人数',
  freeRooms: '空余房间',
  staff: '医护人员',
  hospitals: '医院',
  bedOccupancy: '床位使用率',
  ambulances: '救护车',
  available: '待命',
  status: '状态',
  station: '所属站点',
  crew: '车组',
  speed: '车速',
  fixAt: '定位时间',
  population: '人口',
  gridLead: '网格长',
  village: '村/社区',
  town: '乡镇',
  minutes: '分钟',
  people: '人',
  closedNow: '未开放',
} as const;
