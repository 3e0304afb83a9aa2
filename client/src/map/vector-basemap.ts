// The layers that draw a vector basemap in the OpenMapTiles schema: the county's own
// basemap.pmtiles (npm run county), a planetiler or tilemaker build of an OpenStreetMap
// extract, or an intranet vector tile server. Roads by class, water, the county and its
// boundary, town and village names (in the device's Chinese font: localIdeographFontFamily,
// and the origin's /glyphs for the rest). Names from zoom 9 (towns) and 10 (villages): at the
// county's own zoom the board's town labels (CountyLayers) say it, over the grids. Layers whose source layer a tileset lacks draw nothing.
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { labelFont, type Theme } from './fonts.ts';

const palette = {
  light: {
    background: '#dfe6ec',
    county: '#f3f1ea',
    water: '#a9cbe6',
    boundary: '#8d99ae',
    motorway: '#e39b5b',
    trunk: '#f0c46e',
    primary: '#f7dc8f',
    minor: '#ffffff',
    casing: '#b9b2a3',
    label: '#3d4a5c',
    village: '#5c6b7d',
    halo: '#ffffff',
  },
  dark: {
    background: '#0b1622',
    county: '#12202f',
    water: '#173652',
    boundary: '#3c5670',
    motorway: '#4f6c86',
    trunk: '#435e77',
    primary: '#3a5269',
    minor: '#2b3f53',
    casing: '#0b1622',
    label: '#9fb5c9',
    village: '#7890a6',
    halo: '#0b1622',
  },
} as const;

const byZoom = (pairs: [number, number][]): ExpressionSpecification => ['interpolate', ['exponential', 1.6], ['zoom'], ...pairs.flat()] as ExpressionSpecification;
const name: ExpressionSpecification = ['coalesce', ['get', 'name:zh'], ['get', 'name_zh'], ['get', 'name']];

/** The basemap's layers over a vector source in the OpenMapTiles schema. */
export function vectorBasemapLayers(source: string, theme: Theme): LayerSpecification[] {
  const c = palette[theme];
  const road = (cls: string[]) => ['match', ['get', 'class'], cls, true, false] as ExpressionSpecification;
  const lineColor: ExpressionSpecification = ['match', ['get', 'class'], 'motorway', c.motorway, 'trunk', c.trunk, ['primary', 'secondary'], c.primary, c.minor];
  const lineWidth = byZoom([
    [6, 0.4],
    [10, 1.6],
    [14, 6],
  ]);
  const major = road(['motorway', 'trunk', 'primary']);
  return [
    { id: 'basemap-county', type: 'fill', source, 'source-layer': 'county', paint: { 'fill-color': c.county } },
    { id: 'basemap-landuse', type: 'fill', source, 'source-layer': 'landcover', paint: { 'fill-color': c.county, 'fill-opacity': 0.5 } },
    { id: 'basemap-water', type: 'fill', source, 'source-layer': 'water', paint: { 'fill-color': c.water } },
    {
      id: 'basemap-waterway',
      type: 'line',
      source,
      'source-layer': 'waterway',
      paint: {
        'line-color': c.water,
        'line-width': byZoom([
          [8, 0.5],
          [14, 3],
        ]),
      },
    },
    {
      id: 'basemap-boundary',
      type: 'line',
      source,
      'source-layer': 'boundary',
      filter: ['<=', ['to-number', ['get', 'admin_level'], 99], 6],
      paint: {
        'line-color': c.boundary,
        'line-width': byZoom([
          [6, 1],
          [12, 2.5],
        ]),
        'line-dasharray': [3, 2],
      },
    },
    {
      id: 'basemap-road-minor',
      type: 'line',
      source,
      'source-layer': 'transportation',
      minzoom: 9,
      filter: ['all', ['==', ['geometry-type'], 'LineString'], ['!', major]],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': lineColor,
        'line-width': byZoom([
          [9, 0.3],
          [12, 1],
          [15, 4],
        ]),
        'line-opacity': 0.9,
      },
    },
    {
      id: 'basemap-road-casing',
      type: 'line',
      source,
      'source-layer': 'transportation',
      filter: ['all', ['==', ['geometry-type'], 'LineString'], major],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': c.casing,
        'line-width': byZoom([
          [6, 1],
          [10, 3],
          [14, 9],
        ]),
      },
    },
    {
      id: 'basemap-road',
      type: 'line',
      source,
      'source-layer': 'transportation',
      filter: ['all', ['==', ['geometry-type'], 'LineString'], major],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': lineColor, 'line-width': lineWidth },
    },
    {
      id: 'basemap-road-label',
      type: 'symbol',
      source,
      'source-layer': 'transportation_name',
      minzoom: 10,
      layout: { 'symbol-placement': 'line', 'text-field': name, 'text-font': labelFont, 'text-size': 11, 'symbol-spacing': 400 },
      paint: { 'text-color': c.label, 'text-halo-color': c.halo, 'text-halo-width': 1.4 },
    },
    {
      id: 'basemap-village-label',
      type: 'symbol',
      source,
      'source-layer': 'place',
      minzoom: 10,
      filter: ['match', ['get', 'class'], ['village', 'hamlet', 'suburb', 'neighbourhood'], true, false],
      layout: {
        'text-field': name,
        'text-font': labelFont,
        'text-size': byZoom([
          [9, 10],
          [13, 13],
        ]),
        'text-padding': 4,
      },
      paint: { 'text-color': c.village, 'text-halo-color': c.halo, 'text-halo-width': 1.2 },
    },
    {
      id: 'basemap-town-label',
      type: 'symbol',
      source,
      'source-layer': 'place',
      minzoom: 9,
      filter: ['match', ['get', 'class'], ['city', 'town'], true, false],
      layout: { 'text-field': name, 'text-font': labelFont, 'text-size': ['case', ['==', ['get', 'rank'], 1], 15, 13] },
      paint: { 'text-color': c.label, 'text-halo-color': c.halo, 'text-halo-width': 1.6 },
    },
  ];
}

export const basemapBackground = (theme: Theme): string => palette[theme].background;
