// which-polygon ships no types; it is a devDependency used only by the benchmark.
declare module 'which-polygon' {
  import type { FeatureCollection } from 'geojson';
  export default function whichPolygon(fc: FeatureCollection): (point: [number, number]) => Record<string, unknown> | null;
}
