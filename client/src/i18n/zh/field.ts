// zh-CN strings of the field view.
export const field = {
  title: '采样点现场',
};
