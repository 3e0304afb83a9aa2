// Sign-in from day one: every /api route but health and login needs a bearer
// token; write routes also name the action they need (see auth/permissions.ts).
// Who needs a session is decided on the route the router matched (its pattern), never
// on the raw URL: `/%61pi/…`, `//api`, `/x/../api` reach a route only as that route.
import fp from 'fastify-plugin';
import { bearerToken } from '../auth/bearer.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { can, type Action } from '../auth/permissions.ts';
import { refuse } from '../http/reply.ts';
import type { StoredSession } from '../store/store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session: StoredSession | null;
  }
  interface FastifyInstance {
    /** A hook (preValidation: before the body is read for errors) that lets through only roles allowed to perform `action`. */
    requirePermission(action: Action): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** The session for a token, or undefined (expired, revoked or unknown). */
    sessionFor(token: string | undefined): Promise<StoredSession | undefined>;
    /** Every route as registered, with the action it requires (null: any signed-in role, or public). */
    routeRules: RouteRule[];
  }
}

export interface RouteRule {
  method: string;
  url: string;
  action: Action | null;
}

const PUBLIC_ROUTES = new Set(['/api/health', '/api/auth/login']);
const SIGN_IN_FIRST = '未登录或登录已过期 (sign in first)';

/** Whether a route (its registered pattern, e.g. `/api/grids/:id`) needs a signed-in session. */
export function needsSession(routeUrl: string | undefined): boolean {
  if (routeUrl === undefined) return false; // no route matched: the 404 handler, which gives nothing away
  return (routeUrl === '/api' || routeUrl.startsWith('/api/')) && !PUBLIC_ROUTES.has(routeUrl);
}

/** Fail closed: a guarded route's handler never runs without a session, whatever ran before it. */
async function sessionGuard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!request.session) return refuse(reply, 'unauthorized', SIGN_IN_FIRST);
}

export { bearerToken };

export default fp(
  async (app) => {
    app.decorateRequest('session', null);
    app.decorate('sessionFor', async (token: string | undefined) => (token ? app.store.getSession(token, app.clock()) : undefined));
    app.addHook('onRequest', async (request, reply) => {
      if (!needsSession(request.routeOptions.url)) return;
      const session = await app.sessionFor(bearerToken(request.headers.authorization));
      if (!session) return refuse(reply, 'unauthorized', SIGN_IN_FIRST);
      request.session = session;
    });
    app.decorate('requirePermission', (action: Action) =>
      Object.assign(
        async (request: FastifyRequest, reply: FastifyReply) => {
          if (!request.session || !can(request.session.role, action)) {
            return refuse(reply, 'forbidden', `当前角色无权执行此操作 (role may not ${action})`);
          }
        },
        { action },
      ),
    );
    // The route table a reviewer (and test/auth/role-matrix.test.ts) reads: what each route requires.
    const rules: RouteRule[] = [];
    app.decorate('routeRules', rules);
    app.addHook('onRoute', (route) => {
      // The second lock, on the route itself: its handler may read `request.session!`.
      if (needsSession(route.url)) route.preHandler = [sessionGuard, ...[route.preHandler ?? []].flat()];
      const hooks = [route.preValidation, route.preHandler].flat().filter(Boolean) as { action?: Action }[];
      const action = hooks.map((h) => h.action).find((a) => a !== undefined) ?? null;
      for (const method of [route.method].flat()) if (method !== 'HEAD') rules.push({ method, url: route.url, action });
    });
  },
  { name: 'auth', dependencies: ['services'] },
);
