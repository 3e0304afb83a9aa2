// zh-CN strings of the dispatch view.
export const dispatch = {
  title: '120调度台',
};
