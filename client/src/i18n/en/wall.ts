// English strings of the wall view.
import type { Dictionary } from '../dictionary.ts';

export const wall: Dictionary['wall'] = {
  title: 'Command wall',
};
