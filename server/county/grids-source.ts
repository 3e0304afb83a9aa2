// The grids a service reads: a fixed list (tests, scripts) or a function answering the
// grids served now (the app, whose grids an import may replace). What a service derives
// from them is derived again only when the list changes.
import type { GridProps } from '../schema/index.ts';

export type GridsSource = readonly GridProps[] | (() => readonly GridProps[]);

export function derivedFromGrids<T>(source: GridsSource, derive: (grids: GridProps[]) => T): () => T {
  const now = typeof source === 'function' ? source : () => source;
  let memo: { grids: readonly GridProps[]; value: T } | null = null;
  return () => {
    const grids = now();
    if (memo?.grids !== grids) memo = { grids, value: derive([...grids]) };
    return memo.value;
  };
}
