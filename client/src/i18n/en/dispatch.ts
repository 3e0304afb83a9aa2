// English strings of the dispatch view.
import type { Dictionary } from '../dictionary.ts';

export const dispatch: Dictionary['dispatch'] = {
  title: '120 dispatch console',
};
