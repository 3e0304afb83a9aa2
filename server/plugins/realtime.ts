// socket.io on the Fastify server: namespace /live, token in the handshake,
// snapshot on connect, then every delta.
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import { LiveHandshake, type LiveClientEvents, type LiveServerEvents } from '../schema/index.ts';
import { LiveGateway, type LiveGatewayClass } from '../realtime/gateway.ts';
import type { LiveSocketData } from '../realtime/live-client.ts';
import { every } from './jobs/every.ts';
import { ClientView, subscriptionFilter, type Subscription } from '../realtime/subscription.ts';
import { roleView, sends, viewEntity, type ViewContext } from '../domain/privacy.ts';
import type { Role } from '../schema/index.ts';
import { sessionId } from '../store/store.ts';
import { LiveLimits, tooManySnapshots, tooManySockets } from '../realtime/live-limits.ts';
import type { Socket } from 'socket.io';

/** A refusal a socket.io client reads in connect_error: `message` is the code, `data` the whole answer. */
function refusal(answer: { error: string; message: string }): Error & { data: typeof answer } {
  return Object.assign(new Error(answer.error), { data: answer });
}

declare module 'fastify' {
  interface FastifyInstance {
    io: Server<LiveClientEvents, LiveServerEvents, Record<string, never>, LiveSocketData>;
    gateway: LiveGateway;
  }
}

export interface RealtimeOptions {
  /** The fan-out (bench:live's naive baseline brings its own: scripts/bench-live/naive-gateway.ts). */
  gateway?: LiveGatewayClass;
}

export default fp<RealtimeOptions>(
  async (app, { gateway: Gateway = LiveGateway }) => {
    const io = new Server<LiveClientEvents, LiveServerEvents, Record<string, never>, LiveSocketData>(app.server, { serveClient: false, cors: { origin: false } });
    const townOfGrid = (gridId: string) => app.namedGrids.byId(gridId)?.townName;
    const privacy: ViewContext = { gridPoint: (gridId) => app.gridLayers.current.gridPoint(gridId) };
    // What a screen holds: its subscription's part of the state, as its role may see it
    // (server/domain/privacy.ts: the wall and field tablets get only the fields allowed them).
    const viewFor = (sub: Subscription | null | undefined, role: Role) => {
      const view = roleView(role);
      if (!sub && view === 'full') return null;
      const inSubscription = sub ? subscriptionFilter(sub, townOfGrid) : () => true;
      if (view === 'full') return new ClientView(inSubscription);
      return new ClientView(
        (collection, entity) => sends(view, collection) && inSubscription(collection, entity),
        (collection, entity) => viewEntity(view, collection, entity, privacy),
      );
    };
    // The board speaks on /live only: the root namespace admits nobody (it would take sockets with no token).
    io.of('/').use((_socket, next) => next(refusal({ error: 'not-found', message: '此处没有实时服务，请连接 /live (no live service here: connect to /live)' })));
    const live = io.of('/live');
    const limits = new LiveLimits(app.config.liveSocketsPerSession, app.config.liveResumesPerMinute);
    // Each socket counted once, released once: when it disconnects, or at once if its handshake never became a connection.
    const counted = new WeakSet<Socket>();
    const release = (socket: Socket, session: string) => counted.delete(socket) && limits.close(session);
    const gateway = new Gateway(app.store, {
      slowClientLimit: app.config.slowClientLimit,
      frameMsFor: (role) => (role === 'field' ? app.config.fieldFrameMs : app.config.liveFrameMs),
      stateMs: app.config.stateFrameMs,
      onError: (message, err) => app.log.error({ err }, message),
      onSlowClient: (info) => app.log.warn(info, 'cut off a live client that stopped reading'),
      viewFor,
      mayServe: (socket) => {
        if (limits.serve(socket.data.session.token)) return true;
        socket.emit('live-error', tooManySnapshots(limits.snapshotsPerMinute));
        return false;
      },
      emitTo: (ids, delta) => live.to(ids).emit('delta', delta),
      emitSnapshotTo: (ids, snapshot) => live.to(ids).emit('snapshot', snapshot),
    });
    live.use((socket, next) => {
      const token = LiveHandshake.shape.token.safeParse(socket.handshake.auth?.token);
      if (!token.success) return next(new Error('unauthorized'));
      // A malformed lastSeq only costs a resume: the client gets a fresh snapshot.
      const lastSeq = LiveHandshake.shape.lastSeq.safeParse(socket.handshake.auth?.lastSeq);
      app
        .sessionFor(token.data)
        .then((session) => {
          if (!session) return next(new Error('unauthorized'));
          socket.data.session = session;
          socket.data.lastSeq = lastSeq.success ? lastSeq.data : undefined;
          const epoch = LiveHandshake.shape.epoch.safeParse(socket.handshake.auth?.epoch);
          socket.data.epoch = epoch.success ? epoch.data : undefined;
          const subscription = socket.handshake.auth?.subscribe;
          if (subscription !== undefined) {
            const parsed = LiveHandshake.shape.subscribe.safeParse(subscription);
            // A bad subscription is the client's bug: say so rather than send the whole county.
            if (!parsed.success) return next(new Error(`bad subscription: ${parsed.error.issues[0]?.message ?? 'invalid'}`));
            socket.data.subscription = parsed.data ?? undefined;
          }
          // A session's sockets and the snapshots (or replays) it is served are bounded; over either, a clear refusal and no snapshot.
          if (!limits.open(session.token)) return next(refusal(tooManySockets(limits.socketsPerSession)));
          if (!limits.serve(session.token)) {
            limits.close(session.token);
            return next(refusal(tooManySnapshots(limits.snapshotsPerMinute)));
          }
          counted.add(socket);
          next();
          // socket.io connects it in the next tick, or drops it if the client left meanwhile.
          setImmediate(() => live.sockets.has(socket.id) || release(socket, session.token));
        })
        .catch((err: unknown) => {
          app.log.error({ err }, 'socket sign-in check failed');
          next(new Error('unavailable'));
        });
    });
    live.on('connection', (socket) => {
      const session = socket.data.session.token;
      socket.on('disconnect', () => release(socket, session));
      socket.emit('store', app.storeWatch.status);
      void gateway.add(socket, socket.data.lastSeq, viewFor(socket.data.subscription, socket.data.session.role), socket.data.epoch);
    });
    // A session signed out, or an account an admin revoked (disabled, role or password
    // changed, signed out everywhere), loses its live sockets at once in every process:
    // the store tells them all.
    const unrevoked = await app.store.onRevoked((revoked) => {
      for (const socket of live.sockets.values()) {
        const { token, username } = socket.data.session;
        if ('sessionId' in revoked ? revoked.sessionId === sessionId(token) : revoked.username === username) socket.disconnect(true);
      }
    });
    // A session that merely expired ends its live sockets within 30 s (sessionRecheckMs).
    const recheck = async () => {
      for (const socket of live.sockets.values()) {
        const { token } = socket.data.session;
        app
          .sessionFor(token)
          .then((session) => session || socket.disconnect(true))
          .catch(() => undefined);
      }
    };
    await app.register(every(() => app.config.sessionRecheckMs, recheck, { name: 'job-live-session-recheck', failed: 'rechecking live sessions failed' }));
    // Every few seconds every screen hears the seq this process has reached and its time, in
    // one broadcast encoded once: a screen that hears nothing for 10 s knows its feed is not live.
    const heartbeat = async () => void live.emit('heartbeat', { seq: gateway.seq, at: app.clock() });
    await app.register(every(() => app.config.heartbeatMs, heartbeat, { name: 'job-live-heartbeat', failed: 'the live heartbeat failed' }));
    const recover = () => gateway.recover().catch((err: unknown) => app.log.error({ err }, 'resyncing screens after the store returned failed'));
    // Every screen hears at once when the store goes away, and is resynced when it returns.
    const unwatch = app.storeWatch.onChange((status, previous) => {
      live.emit('store', status);
      if (status.reachable && !previous.reachable) void recover();
    });
    const unsubscribe = await app.store.subscribe(
      (delta) => gateway.broadcast(delta),
      () => void recover(),
    );
    // A grid or road import was committed (here or in another process): screens refetch /api/grids, or the county's roads.
    // The grids' version is the served one (under the records' names): a town import that renames a grid's town or village changes it too.
    const servedGrids = () => app.townLayers.served(app.gridLayers.current).version;
    let gridsShown = servedGrids();
    const gridsChanged = () => {
      const version = servedGrids();
      if (version === gridsShown) return;
      gridsShown = version;
      live.emit('static-changed', { layer: 'grids', version });
    };
    const unswapped = app.gridLayers.onSwap(gridsChanged);
    const roadsUnswapped = app.roadLayers.onSwap((layer) => live.emit('static-changed', { layer: 'roads', version: layer.version }));
    const townsUnswapped = app.townLayers.onSwap((layer) => {
      live.emit('static-changed', { layer: 'towns', version: layer.version });
      gridsChanged();
    });
    await gateway.start();

    app.decorate('io', io);
    app.decorate('gateway', gateway);
    app.addHook('preClose', async () => {
      unrevoked();
      unwatch();
      unsubscribe();
      unswapped();
      roadsUnswapped();
      townsUnswapped();
      // Shutting down: screens reconnect at once, through the load balancer to another process.
      live.emit('draining');
      io.disconnectSockets(true);
      io.engine.close();
    });
  },
  { name: 'realtime', dependencies: ['services', 'auth', 'store-watch'] },
);
