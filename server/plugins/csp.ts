// The content security policy: scripts, styles, workers and data from our own origin
// only, plus the tile hosts of the chosen basemap (images come through blob: URLs).
import type { Basemap } from '../schema/index.ts';

export function tileOrigins(basemap: Basemap): string[] {
  if (basemap.kind === 'tianditu') return Array.from({ length: 8 }, (_, i) => `https://t${i}.tianditu.gov.cn`);
  if (basemap.kind === 'amap') return [1, 2, 3, 4].map((i) => `https://webrd0${i}.is.autonavi.com`);
  // A style URL may name tiles anywhere its server says: allow that server's origin and https.
  if (basemap.kind === 'style') return [new URL(basemap.url).origin, 'https:'];
  // The tile servers' own origins (a template's braces are not part of them).
  if (basemap.kind === 'xyz') return [...new Set(basemap.tiles.map((t) => new URL(t.replace(/[{}]/g, '')).origin))];
  // pmtiles: the board's own origin, already allowed.
  return [];
}

/**
 * `tls`: browsers reach the board over https (config TLS). Only then are they told to upgrade
 * insecure requests: on plain http under a host name the upgrade sends the board's own scripts
 * to an https port nobody listens on, and the page stays blank (null drops helmet's default).
 */
export function contentSecurityPolicy(basemap: Basemap, { tls }: { tls: boolean }): Record<string, string[] | null> {
  const tiles = tileOrigins(basemap);
  return {
    upgradeInsecureRequests: tls ? [] : null,
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    // MapLibre and Svelte set element styles from script; the CSS files are our own.
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:', ...tiles],
    connectSrc: ["'self'", ...tiles],
    workerSrc: ["'self'", 'blob:'],
    manifestSrc: ["'self'"],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
  };
}
