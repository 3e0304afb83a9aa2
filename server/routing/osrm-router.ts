// An OSRM server (http://project-osrm.org) as the router: its table service for the
// ETAs of every unit at once, its route service for the geometry of the options shown.
// OSRM answers in WGS-84 [lng, lat], as the board stores.
import type { LngLat } from '../schema/index.ts';
import type { Eta, Route, RouteProvider } from './router.ts';

interface TableResponse {
  code: string;
  message?: string;
  durations?: (number | null)[][];
  distances?: (number | null)[][];
}
interface RouteResponse {
  code: string;
  message?: string;
  routes?: { duration: number; distance: number; geometry: { type: 'LineString'; coordinates: LngLat[] } }[];
}

const coord = ([lng, lat]: LngLat) => `${lng.toFixed(6)},${lat.toFixed(6)}`;

export class OsrmRouter implements RouteProvider {
  readonly name = 'osrm';

  constructor(
    private readonly baseUrl: string,
    private readonly options: { profile?: string; timeoutMs?: number; fetch?: typeof fetch } = {},
  ) {}

  private async get<T extends { code: string; message?: string }>(path: string): Promise<T> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}${path}`;
    const res = await (this.options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 3000) });
    const body = (await res.json()) as T;
    if (!res.ok || body.code !== 'Ok') throw new Error(`OSRM ${res.status} ${body.code}: ${body.message ?? url}`);
    return body;
  }

  async etas(target: LngLat, units: { id: string; at: LngLat }[]): Promise<Map<string, Eta | null>> {
    const out = new Map<string, Eta | null>();
    if (units.length === 0) return out;
    const profile = this.options.profile ?? 'driving';
    const coords = [target, ...units.map((u) => u.at)].map(coord).join(';');
    const sources = units.map((_, i) => i + 1).join(';');
    const table = await this.get<TableResponse>(`/table/v1/${profile}/${coords}?sources=${sources}&destinations=0&annotations=duration,distance`);
    units.forEach((unit, i) => {
      const etaSeconds = table.durations?.[i]?.[0];
      const distanceMeters = table.distances?.[i]?.[0];
      out.set(unit.id, typeof etaSeconds === 'number' && typeof distanceMeters === 'number' ? { etaSeconds, distanceMeters } : null);
    });
    return out;
  }

  async route(from: LngLat, to: LngLat): Promise<Route | null> {
    const profile = this.options.profile ?? 'driving';
    const body = await this.get<RouteResponse>(`/route/v1/${profile}/${coord(from)};${coord(to)}?overview=full&geometries=geojson`);
    const best = body.routes?.[0];
    return best ? { etaSeconds: best.duration, distanceMeters: best.distance, geometry: best.geometry.coordinates } : null;
  }
}
