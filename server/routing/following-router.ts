// The graph router of whichever road network is current: services built once (dispatch, the
// simulator's drives) hold this, and each call routes on the roads served at that moment.
import type { LngLat } from '../schema/index.ts';
import type { Eta, Route, RouteProvider } from './router.ts';

export class FollowingRouter implements RouteProvider {
  readonly name = 'graph';

  constructor(private readonly current: () => RouteProvider) {}

  etas(target: LngLat, units: { id: string; at: LngLat }[]): Promise<Map<string, Eta | null>> {
    return this.current().etas(target, units);
  }

  route(from: LngLat, to: LngLat): Promise<Route | null> {
    return this.current().route(from, to);
  }
}
