// POST /api/auth/login, GET /api/auth/me, POST /api/auth/logout.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { signIn } from '../auth/accounts.ts';
import { bearerToken } from '../plugins/auth.ts';
import { LoginRequest } from '../schema/index.ts';

const auth: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.post('/api/auth/login', { schema: { body: LoginRequest } }, async (request, reply) => {
    const { username, password } = request.body;
    const session = await signIn(app.store, username, password, app.config, app.clock());
    if (!session) {
      request.log.info({ username }, 'sign-in refused');
      return reply.code(401).send({ error: 'unauthorized', message: '用户名或密码错误 (wrong username or password)' });
    }
    request.log.info({ username, role: session.role }, 'signed in');
    const user = await app.store.getUser(session.username);
    return {
      token: session.token,
      expiresAt: session.expiresAt,
      user: { username: session.username, role: session.role, samplingPoints: session.role === 'field' ? (user?.samplingPoints ?? []) : [] },
    };
  });
  app.get('/api/auth/me', async (request) => ({
    username: request.session?.username,
    role: request.session?.role,
    expiresAt: request.session?.expiresAt,
  }));
  app.post('/api/auth/logout', async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    if (token) await app.store.deleteSession(token);
    return reply.code(204).send();
  });
};
export default auth;
