// vt-pbf ships no types: the one function the basemap build uses.
declare module 'vt-pbf' {
  import type { LegacyTile } from 'geojson-vt';
  const vtpbf: {
    /** geojson-vt tiles by layer name, encoded as one Mapbox Vector Tile (uncompressed). */
    fromGeojsonVt(layers: Record<string, LegacyTile | null>, options?: { version?: number; extent?: number }): Uint8Array;
  };
  export default vtpbf;
}
