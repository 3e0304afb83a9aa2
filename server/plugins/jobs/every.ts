// The one way a job runs on a timer: `every(ms, task)` is a plugin that starts the timer
// once the app is ready (and runs the task at once too with `atStart`: a board just started
// should not wait a minute for its first alert check) and stops it when the app closes: no
// new run once draining begins, and the store stays open until a run under way has ended.
// A failed run is logged and the next one comes on time.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface Job {
  /** The plugin's name (other plugins may depend on it). */
  name: string;
  /** What the log says when a run fails. */
  failed: string;
  /** Run once at start as well, not only after the first interval. */
  atStart?: boolean;
}

export function every(ms: (app: FastifyInstance) => number, task: (app: FastifyInstance) => Promise<unknown>, job: Job) {
  return fp(
    async (app) => {
      let timer: ReturnType<typeof setInterval> | undefined;
      let running: Promise<unknown> | null = null;
      const run = () => {
        running = task(app)
          .catch((err: unknown) => app.log.error({ err }, job.failed))
          .finally(() => (running = null));
      };
      app.addHook('onReady', async () => {
        if (job.atStart) run();
        timer = setInterval(run, ms(app));
        timer.unref();
      });
      app.addHook('preClose', async () => clearInterval(timer));
      app.addHook('onClose', async () => {
        await running;
      });
    },
    { name: job.name, dependencies: ['services'] },
  );
}
