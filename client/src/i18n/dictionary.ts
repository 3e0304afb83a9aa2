// The shape every language's dictionary has: zh-CN is the source; another language
// must give every key (tsc fails on a missing one), with strings of its own.
import type { zh } from './zh/index.ts';

type Widen<T> = T extends string ? string : { [K in keyof T]: Widen<T[K]> };
export type Dictionary = Widen<typeof zh>;
