// The pmtiles:// protocol for MapLibre (the pmtiles package), added once: the board's
// PMTiles file is read by range requests on its own origin, with the screen's bearer token
// (the file is served to signed-in screens only, like every /api resource).
import { addProtocol } from 'maplibre-gl';
import { FetchSource, PMTiles, Protocol } from 'pmtiles';
import { authorizationHeader } from '../lib/api.ts';

let protocol: Protocol | null = null;

/** The style's source URL for the board's PMTiles file at `path` (pmtiles://<origin>/…). */
export function pmtilesSourceUrl(origin: string, path: string): string {
  if (!protocol) {
    // Without the metadata's vector_layers, so that the style's layers for source layers a
    // tileset lacks (water in the sample, `county` in a planetiler build) draw nothing instead of failing.
    protocol = new Protocol({ metadata: false });
    addProtocol('pmtiles', protocol.tile);
  }
  const url = `${origin}${path}`;
  // A new archive reader each time a map is made, with the token of the session now.
  protocol.add(new PMTiles(new FetchSource(url, new Headers(authorizationHeader()))));
  return `pmtiles://${url}`;
}

/** The attribution a PMTiles file's metadata names (© OpenStreetMap for a planetiler build), if any. */
export async function pmtilesAttribution(origin: string, path: string): Promise<string | undefined> {
  const metadata = (await protocol
    ?.get(`${origin}${path}`)
    ?.getMetadata()
    .catch(() => undefined)) as { attribution?: unknown } | undefined;
  return typeof metadata?.attribution === 'string' && metadata.attribution !== '' ? metadata.attribution : undefined;
}
