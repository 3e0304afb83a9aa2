// English strings of the field view.
import type { Dictionary } from '../dictionary.ts';

export const field: Dictionary['field'] = {
  title: 'Sampling point field view',
};
