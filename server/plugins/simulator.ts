// The sample county's simulated day (SIMULATOR: on outside production), decorated as
// app.simulator, null when off. The start-up plugin starts it once the county is seeded; it
// stops as soon as the app begins to close (nothing simulated is written while draining).
import fp from 'fastify-plugin';
import { Simulator } from '../simulator/simulator.ts';
import { FollowingRouter } from '../routing/following-router.ts';

declare module 'fastify' {
  interface FastifyInstance {
    simulator: Simulator | null;
  }
}

export interface SimulatorPluginOptions {
  /** An empty county gets a testing round two days under way (npm start; tests turn it off). */
  demoRound: boolean;
}

export default fp<SimulatorPluginOptions>(
  async (app, { demoRound }) => {
    const { config } = app;
    if (!config.simulator) {
      app.decorate('simulator', null);
      return;
    }
    const simulator = new Simulator({
      store: app.store,
      updates: app.updates,
      batches: app.sampleBatches,
      rounds: app.testingRounds,
      demoRound,
      roads: app.county.roads,
      // Drives to calls route on the roads served now (an imported network once committed); idle patrols keep the county's file.
      router: new FollowingRouter(() => app.roadLayers.current.router),
      clock: app.clock,
      tickMs: config.simulatorTickMs,
      speed: config.simulatorSpeed,
      onError: (message, err) => app.log.error({ err }, message),
      // Calls taken and driven through their steps, so the 120 figures fill.
      dispatch: app.dispatch,
      grids: app.gridLayers.current.props,
      decontaminationPoints: app.county.decontaminationPoints,
      minDisinfectionMs: config.minDisinfectionMs,
      // The simulated dispatcher accepts the board's move-up suggestions.
      moveUps: app.coverage,
    });
    app.decorate('simulator', simulator);
    let stopped: Promise<void> = Promise.resolve();
    app.addHook('preClose', async () => {
      stopped = simulator.stop();
    });
    app.addHook('onClose', () => stopped);
  },
  { name: 'simulator', dependencies: ['services'] },
);
