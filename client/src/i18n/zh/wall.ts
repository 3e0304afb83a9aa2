// zh-CN strings of the wall view.
export const wall = {
  title: '指挥大屏',
};
