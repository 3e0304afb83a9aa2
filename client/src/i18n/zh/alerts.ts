// zh-CN strings of the alerts panel (board and dispatcher console).
export const alerts = {
  title: '告警',
  summary: '{open} 条待确认，{acknowledged} 条处置中',
  none: '当前无告警',
  acknowledge: '确认',
  resolve: '解除',
  reasonLabel: '解除原因',
  reasonDefault: '已处置',
  confirm: '确定',
  cancel: '取消',
  acknowledgedBy: '{by} {at} 已确认',
  rule: '规则：{rule}',
  failed: '未完成：{message}',
  collapse: '收起',
  expand: '展开',
  severity: { critical: '严重', warning: '警告', info: '提示' },
};
