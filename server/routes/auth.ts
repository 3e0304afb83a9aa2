// POST /api/auth/login, GET /api/auth/me, POST /api/auth/logout.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { signIn } from '../auth/accounts.ts';
import { bearerToken } from '../plugins/auth.ts';
import { LoginRequest, LoginResponse, Me, NoContent, responses } from '../schema/index.ts';
import { refuse } from '../http/reply.ts';
import { REFUSAL_STATUS } from '../schema/outcome.ts';

const auth: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  // Guessing passwords is slow: LOGIN_RATE_LIMIT attempts a minute per address and username.
  const rateLimit = {
    max: app.config.loginRateLimit,
    timeWindow: 60_000,
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => `${request.ip}|${(request.body as { username?: string } | undefined)?.username ?? ''}`,
    errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) => ({
      statusCode: REFUSAL_STATUS['rate-limited'],
      code: 'rate-limited',
      message: `登录尝试过多，请${Math.ceil(context.ttl / 1000)}秒后重试 (too many sign-in attempts)`,
    }),
  };
  // And LOGIN_RATE_LIMIT_PER_ADDRESS a minute per address whatever the usernames, so that
  // one address cannot try one password on many accounts (spraying). A limiter of its own
  // (the plugin runs one route limit per request), checked first.
  const perAddress = app.createRateLimit({ max: app.config.loginRateLimitPerAddress, timeWindow: 60_000, keyGenerator: (request: FastifyRequest) => `address|${request.ip}` });
  const limitAddress = async (request: FastifyRequest, reply: FastifyReply) => {
    const result = await perAddress(request);
    if (result.isAllowed || !result.isExceeded) return;
    reply.header('retry-after', String(result.ttlInSeconds));
    return refuse(reply, 'rate-limited', `此地址登录尝试过多，请${result.ttlInSeconds}秒后重试 (too many sign-in attempts from this address)`);
  };
  app.post(
    '/api/auth/login',
    { schema: { body: LoginRequest, response: responses({ 200: LoginResponse }), security: [] }, config: { rateLimit }, preHandler: limitAddress },
    async (request, reply) => {
      const { username, password } = request.body;
      const session = await signIn(app.store, username, password, app.config, app.clock());
      if (!session) {
        request.log.info({ username }, 'sign-in refused');
        return refuse(reply, 'unauthorized', '用户名或密码错误 (wrong username or password)');
      }
      request.log.info({ username, role: session.role }, 'signed in');
      const user = await app.store.getUser(session.username);
      const points = session.role === 'field' ? (user?.samplingPoints ?? []) : [];
      const first = points[0] === undefined ? undefined : await app.store.get('samplingPoints', points[0]);
      const homeTown = first?.gridId ? app.namedGrids.byId(first.gridId)?.townName : undefined;
      return {
        token: session.token,
        expiresAt: session.expiresAt,
        user: { username: session.username, role: session.role, samplingPoints: points, ...(homeTown ? { homeTown } : {}) },
      };
    },
  );
  // Signed in (the auth plugin lets no request without a session reach this route).
  app.get('/api/auth/me', { schema: { response: responses({ 200: Me }) } }, async (request) => ({
    username: request.session!.username,
    role: request.session!.role,
    expiresAt: request.session!.expiresAt,
  }));
  app.post('/api/auth/logout', { schema: { response: responses({ 204: NoContent }) } }, async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    // The store tells every process, which cut this session's live sockets at once.
    if (token) await app.store.deleteSession(token);
    return reply.code(204).send();
  });
};
export default auth;
