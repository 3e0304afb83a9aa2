// The arrival watch (services/arrivals.ts) as app.arrivals: started when the app is ready,
// stopped when it closes. A step the board records by itself (ARRIVAL_AUTO_RECORD) gets
// its audit entry here, as a dispatcher's step gets one from the audit plugin.
import fp from 'fastify-plugin';
import { ArrivalWatch, AUTO_RECORDER } from '../services/arrivals.ts';
import type { AuditEntry } from './audit.ts';

declare module 'fastify' {
  interface FastifyInstance {
    arrivals: ArrivalWatch;
  }
}

export default fp(
  async (app) => {
    const watch = new ArrivalWatch(app.store, app.dispatch, app.county.decontaminationPoints, app.config.arrival, app.clock, {
      onError: (message, err) => app.log.error({ err }, message),
      onAutoRecorded: async ({ task, before }) => {
        const at = app.clock();
        const entry: AuditEntry = {
          at,
          user: AUTO_RECORDER,
          role: null,
          ip: '',
          method: 'POST',
          route: '/api/transfers/:id/steps',
          url: `/api/transfers/${task.id}/steps`,
          status: 200,
          subject: { collection: 'transfers', id: task.id },
          before,
          after: task,
          body: { to: task.status, from: before.status, arrival: true, note: '到达自动记录 (ARRIVAL_AUTO_RECORD)' },
        };
        await app.store.appendAudit(JSON.stringify(entry), at, app.config.auditRetentionMs, app.config.auditMaxEntries);
      },
    });
    app.decorate('arrivals', watch);
    app.addHook('onReady', async () => watch.start());
    app.addHook('onClose', async () => watch.stop());
  },
  { name: 'arrivals', dependencies: ['services'] },
);
