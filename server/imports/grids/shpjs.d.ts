// shpjs ships no types: the one call the grid import makes.
declare module 'shpjs' {
  import type { FeatureCollection } from 'geojson';
  /** A shapefile's parts as bytes or text; `cpg` names the .dbf's encoding, `prj` its projection (WKT). */
  export default function getShapefile(parts: { shp: Uint8Array; dbf?: Uint8Array; cpg?: string; prj?: string }): Promise<FeatureCollection>;
}
