// GET /api/snapshot and the update endpoints for sites and ambulance positions.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Ambulance,
  AmbulanceStatus,
  ChangeBody,
  Hospital,
  HospitalUpdate,
  HotelUpdate,
  Id,
  IsolationHotel,
  OpBody,
  PositionBatch,
  PositionReport,
  PositionsAnswer,
  responses,
  SamplingPoint,
  SamplingPointOp,
  SamplingPointUpdate,
  Snapshot,
} from '../schema/index.ts';
import { mayChangeSamplingPoint, NOT_YOUR_POINT } from '../auth/scope.ts';
import { roleView, viewCollections } from '../domain/privacy.ts';
import { ingestRateLimit } from '../ingest/rate-limit.ts';
import { judgeFix, type FixVerdict } from '../ingest/fix-filter.ts';
import { answer, refuse } from '../http/reply.ts';

const Params = z.object({ id: Id });
/** Off a task a unit goes offline or back to 待命 by hand; on a task its status follows the task. */
const AmbulanceStatusUpdate = z.object({ status: AmbulanceStatus }).strict();
const FIX_REFUSED: Partial<Record<FixVerdict, string>> = {
  zero: '坐标为 (0, 0)',
  future: '定位时间晚于当前时间',
  'too-old': '定位时间超过24小时',
};

const live: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.get('/api/snapshot', { schema: { response: responses({ 200: Snapshot }) } }, async (request) => {
    const snapshot = await app.store.snapshot();
    // Each role gets only the fields allowed it (server/domain/privacy.ts): the same view as its live screen.
    const view = roleView(request.session!.role);
    if (view === 'full') return snapshot;
    return { ...snapshot, collections: viewCollections(view, snapshot.collections, { gridPoint: (id) => app.gridLayers.current.gridPoint(id) }) };
  });

  app.patch(
    '/api/sampling-points/:id',
    {
      schema: { params: Params, body: SamplingPointUpdate, response: responses({ 200: ChangeBody(SamplingPoint) }) },
      preValidation: app.requirePermission('samplingPoints:update'),
    },
    async (request, reply) => {
      if (!(await mayChangeSamplingPoint(app.store, request.session!, request.params.id))) return refuse(reply, NOT_YOUR_POINT);
      return answer(reply, await app.updates.updateSamplingPoint(request.params.id, request.body));
    },
  );

  app.post(
    '/api/sampling-points/:id/ops',
    { schema: { params: Params, body: SamplingPointOp, response: responses({ 200: OpBody(SamplingPoint) }) }, preValidation: app.requirePermission('samplingPoints:update') },
    async (request, reply) => {
      if (!(await mayChangeSamplingPoint(app.store, request.session!, request.params.id))) return refuse(reply, NOT_YOUR_POINT);
      return answer(reply, await app.updates.applySamplingOp(request.params.id, request.body));
    },
  );

  app.patch(
    '/api/hotels/:id',
    { schema: { params: Params, body: HotelUpdate, response: responses({ 200: ChangeBody(IsolationHotel) }) }, preValidation: app.requirePermission('hotels:update') },
    async (request, reply) => answer(reply, await app.updates.updateHotel(request.params.id, request.body)),
  );

  app.patch(
    '/api/hospitals/:id',
    { schema: { params: Params, body: HospitalUpdate, response: responses({ 200: ChangeBody(Hospital) }) }, preValidation: app.requirePermission('hospitals:update') },
    async (request, reply) => answer(reply, await app.updates.updateHospital(request.params.id, request.body)),
  );

  app.patch(
    '/api/ambulances/:id/status',
    { schema: { params: Params, body: AmbulanceStatusUpdate, response: responses({ 200: ChangeBody(Ambulance) }) }, preValidation: app.requirePermission('ambulances:status') },
    async (request, reply) => answer(reply, await app.updates.setAmbulanceStatus(request.params.id, request.body.status)),
  );

  app.post(
    '/api/ambulances/positions',
    {
      schema: { body: PositionBatch, response: responses({ 200: PositionsAnswer }) },
      preValidation: app.requirePermission('ambulances:position'),
      config: { rateLimit: ingestRateLimit(app.config.ingestRateLimit) },
    },
    async (request) => {
      const result = await app.updates.reportPositions(request.body, app.config.fixLimits);
      return { accepted: result.accepted, refused: result.refused, seq: result.seq };
    },
  );

  app.post(
    '/api/ambulances/:id/position',
    {
      schema: { params: Params, body: PositionReport, response: responses({ 200: ChangeBody(Ambulance) }) },
      preValidation: app.requirePermission('ambulances:position'),
      config: { rateLimit: ingestRateLimit(app.config.ingestRateLimit) },
    },
    async (request, reply) => {
      // The position filter's checks that need no previous fix (an older fix is refused by the write):
      // a time far in the future would otherwise hold the unit's position until then.
      const now = app.clock();
      const verdict = judgeFix({ ...request.body, at: request.body.at ?? now }, null, now, app.config.fixLimits);
      if (verdict !== 'ok') return refuse(reply, 'invalid', `${FIX_REFUSED[verdict] ?? '定位无效'} (fix refused: ${verdict})`);
      return answer(reply, await app.updates.reportPosition(request.params.id, request.body));
    },
  );
};
export default live;
