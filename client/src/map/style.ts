// The basemap under the overlays, built in code. The default needs no network beyond the
// board's own origin: the county's vector tiles from its PMTiles file (pmtiles://, see
// vector-basemap.ts), or a plain background when it has none; a glyphs URL on our own origin
// (Chinese labels are drawn from the device's fonts through localIdeographFontFamily, and the
// server answers /glyphs with empty ranges). Presets add 天地图 (Tianditu, WGS-84) or 高德
// (Amap, GCJ-02) raster tiles; an intranet tile server comes as XYZ/WMTS tiles or a style URL.
import type { StyleSpecification } from 'maplibre-gl';
import type { Basemap } from '../../../server/schema/index.ts';
import type { Crs } from './projection.ts';
import { pmtilesSourceUrl } from './pmtiles-protocol.ts';
import { basemapBackground, vectorBasemapLayers } from './vector-basemap.ts';

import type { Theme } from './fonts.ts';

export { ideographFonts, labelFont, type Theme } from './fonts.ts';

/** The coordinate system of the basemap's tiles: overlays are shifted to it. */
export function basemapCrs(basemap: Basemap): Crs {
  if (basemap.kind === 'amap') return 'gcj02';
  if (basemap.kind === 'style' || basemap.kind === 'xyz') return basemap.crs;
  return 'wgs84';
}

const tiandituTiles = (layer: 'vec' | 'cva', key: string) =>
  Array.from(
    { length: 8 },
    (_, i) =>
      `https://t${i}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${key}`,
  );

const amapTiles = [1, 2, 3, 4].map((i) => `https://webrd0${i}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}`);

/** The wall dims raster tiles so that the overlays carry the colour. */
const rasterPaint = (theme: Theme) => (theme === 'dark' ? { 'raster-brightness-max': 0.45, 'raster-saturation': -0.7, 'raster-contrast': 0.1 } : {});

/** The style to create the map with: an object, or a URL MapLibre fetches itself. */
export function baseStyle(origin: string, theme: Theme = 'light', basemap: Basemap = { kind: 'offline' }): StyleSpecification | string {
  if (basemap.kind === 'style') return basemap.url;
  const style: StyleSpecification = {
    version: 8,
    name: 'epi-board',
    glyphs: `${origin}/glyphs/{fontstack}/{range}.pbf`,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': basemapBackground(theme) } }],
  };
  if (basemap.kind === 'pmtiles') {
    style.sources.basemap = { type: 'vector', url: pmtilesSourceUrl(origin, basemap.url) };
    style.layers.push(...vectorBasemapLayers('basemap', theme));
  } else if (basemap.kind === 'xyz' && basemap.type === 'vector') {
    style.sources.basemap = { type: 'vector', tiles: basemap.tiles, maxzoom: basemap.maxzoom };
    style.layers.push(...vectorBasemapLayers('basemap', theme));
  } else if (basemap.kind === 'xyz') {
    style.sources.basemap = { type: 'raster', tiles: basemap.tiles, tileSize: 256, maxzoom: basemap.maxzoom };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap', paint: rasterPaint(theme) });
  }
  if (basemap.kind === 'tianditu') {
    const attribution = '© 天地图 Tianditu';
    style.sources.tianditu = { type: 'raster', tiles: tiandituTiles('vec', basemap.key), tileSize: 256, maxzoom: 18, attribution };
    style.sources['tianditu-labels'] = { type: 'raster', tiles: tiandituTiles('cva', basemap.key), tileSize: 256, maxzoom: 18 };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'tianditu', paint: rasterPaint(theme) });
    style.layers.push({ id: 'basemap-labels', type: 'raster', source: 'tianditu-labels', paint: rasterPaint(theme) });
  } else if (basemap.kind === 'amap') {
    style.sources.amap = { type: 'raster', tiles: amapTiles, tileSize: 256, maxzoom: 18, attribution: '© 高德地图 AutoNavi' };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'amap', paint: rasterPaint(theme) });
  }
  return style;
}
