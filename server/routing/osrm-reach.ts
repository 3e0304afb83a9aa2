// Coverage's road times from an OSRM server: its table service, one source (the unit or
// standby point) against every grid's point. osrm-routed refuses tables of more than
// --max-table-size coordinates (100 by default), so the grids go in chunks of 99.
import type { LngLat } from '../schema/index.ts';
import type { ReachProvider } from './reach.ts';

interface TableResponse {
  code: string;
  message?: string;
  durations?: (number | null)[][];
}

const coord = ([lng, lat]: LngLat) => `${lng.toFixed(6)},${lat.toFixed(6)}`;

export class OsrmReach implements ReachProvider {
  readonly targetCount: number;

  constructor(
    private readonly baseUrl: string,
    private readonly targets: readonly LngLat[],
    private readonly options: { profile?: string; timeoutMs?: number; fetch?: typeof fetch; chunk?: number; maxSeconds?: number } = {},
  ) {
    this.targetCount = targets.length;
  }

  async secondsFrom(at: LngLat): Promise<Float64Array> {
    const out = new Float64Array(this.targetCount).fill(Infinity);
    const chunk = this.options.chunk ?? 99;
    const profile = this.options.profile ?? 'driving';
    const max = this.options.maxSeconds ?? Infinity;
    for (let start = 0; start < this.targetCount; start += chunk) {
      const part = this.targets.slice(start, start + chunk);
      const url = `${this.baseUrl.replace(/\/+$/, '')}/table/v1/${profile}/${[at, ...part].map(coord).join(';')}?sources=0&annotations=duration`;
      const res = await (this.options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 3000) });
      const body = (await res.json()) as TableResponse;
      if (!res.ok || body.code !== 'Ok') throw new Error(`OSRM ${res.status} ${body.code}: ${body.message ?? url}`);
      const row = body.durations?.[0] ?? [];
      part.forEach((_, i) => {
        // Destination 0 is the source itself.
        const s = row[i + 1];
        if (typeof s === 'number' && s <= max) out[start + i] = s;
      });
    }
    return out;
  }
}
