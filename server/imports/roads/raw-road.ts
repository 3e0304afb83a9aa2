// A road as a file gives it, before anything is decided about it: its attributes (OSM tags,
// or a feature's properties as text) and its lines of [x, y] positions in the file's system.

export interface RawRoad {
  /** Its number in the file (the first is 1): a way's or a feature's place. */
  feature: number;
  /** An OSM way's id. */
  osmId?: number;
  tags: Record<string, string>;
  /** One line for a LineString or an OSM way, several for a MultiLineString (or a way cut by missing nodes). */
  lines: number[][][];
  /** `other`: a point or polygon, no road; `none`: no geometry at all. */
  geometry: 'line' | 'other' | 'none';
  /** Nodes an OSM way names that the file does not hold. */
  missingNodes?: number;
}
