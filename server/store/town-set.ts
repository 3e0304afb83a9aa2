// The committed towns and villages (a town and village import): what both stores keep (part
// of LiveStore), in memory/towns.ts and redis/towns.ts. A committed set wins over the county's
// towns.json in every process and after restarts.

export interface StoredTownSet {
  /** The content's hash. */
  version: string;
  /** The towns and villages as JSON text (TownSet). */
  setJson: string;
  committedAt: number;
  by: string;
}

/** What both stores do with a town set (part of LiveStore). */
export interface TownSetStore {
  /** The committed town set, or undefined when none was ever committed (towns.json holds). */
  getTownSet(): Promise<StoredTownSet | undefined>;
  townSetVersion(): Promise<string | undefined>;
  /** Makes a town set the committed one in one atomic step and tells every process (onTownSet); no delta (no live entity changes). */
  commitTownSet(set: StoredTownSet): Promise<void>;
  /** Calls listener with the version of every town set committed by any process (and, after a lost connection, the stored one). */
  onTownSet(listener: (version: string) => void): Promise<() => void>;
}
