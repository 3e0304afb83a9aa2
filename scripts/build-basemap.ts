// `npm run basemap -- <county dir>`: (re)builds <county dir>/basemap.pmtiles from that county's
// data files alone (county.geojson, roads.geojson, towns.json, grids.geojson, water.geojson if
// present), as `npm run county` does at its end: after editing a county's files by hand.
import { fileURLToPath } from 'node:url';
import { writeBasemap } from './county/basemap-tiles.ts';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2];
  if (!dir || dir.startsWith('-')) {
    console.error('usage: npm run basemap -- <county dir>   (writes <county dir>/basemap.pmtiles)');
    process.exit(2);
  }
  try {
    const bytes = writeBasemap(dir);
    console.log(`wrote ${dir}/basemap.pmtiles: ${(bytes / 1024).toFixed(0)} KiB`);
  } catch (err) {
    console.error(`cannot build the basemap of ${dir}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
