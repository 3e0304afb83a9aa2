// The basemap a configuration names (MAP_BASEMAP and its companions), as the client is told it.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Basemap } from '../schema/index.ts';

/** Where the basemap's PMTiles file is (or would be): MAP_PMTILES, else the county's own. */
export function pmtilesPathOf(env: { MAP_PMTILES?: string; DATA_DIR: string }): string {
  return env.MAP_PMTILES ?? join(env.DATA_DIR, 'basemap.pmtiles');
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The path the board serves its PMTiles file at (any signed-in screen). */
export const PMTILES_URL = '/api/basemap.pmtiles';

/**
 * A tile URL template as MapLibre reads it ({z}, {x}, {y}; a WMTS KVP or RESTful template's
 * {TileMatrix}, {TileCol}, {TileRow} renamed), or null when it is not an http(s) template.
 */
export function tileTemplateOf(url: string): string | null {
  const t = url
    .replace(/\{TileMatrix\}/gi, '{z}')
    .replace(/\{TileCol\}/gi, '{x}')
    .replace(/\{TileRow\}/gi, '{y}');
  if (!['{z}', '{x}', '{y}'].every((p) => t.includes(p))) return null;
  try {
    const parsed = new URL(t.replace(/[{}]/g, ''));
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? t : null;
  } catch {
    return null;
  }
}

export type BasemapEnv = {
  MAP_BASEMAP: string;
  MAP_PMTILES?: string;
  DATA_DIR: string;
  MAP_STYLE_URL?: string;
  MAP_STYLE_CRS: 'wgs84' | 'gcj02';
  TIANDITU_KEY?: string;
  MAP_TILES_URL?: string[];
  MAP_TILES_TYPE: 'raster' | 'vector';
  MAP_TILES_MAXZOOM: number;
};

export function basemapOf(env: BasemapEnv): Basemap {
  switch (env.MAP_BASEMAP) {
    case 'tianditu':
      return { kind: 'tianditu', key: env.TIANDITU_KEY ?? '' };
    case 'amap':
      return { kind: 'amap' };
    case 'style':
      return { kind: 'style', url: env.MAP_STYLE_URL ?? '', crs: env.MAP_STYLE_CRS };
    case 'xyz':
      return { kind: 'xyz', tiles: env.MAP_TILES_URL ?? [], type: env.MAP_TILES_TYPE, crs: env.MAP_STYLE_CRS, maxzoom: env.MAP_TILES_MAXZOOM };
    case 'pmtiles':
      return { kind: 'pmtiles', url: PMTILES_URL };
    case 'offline':
      // No network either way: the county's own tiles when it has them.
      return isFile(pmtilesPathOf(env)) ? { kind: 'pmtiles', url: PMTILES_URL } : { kind: 'offline' };
    default:
      return { kind: 'offline' };
  }
}
