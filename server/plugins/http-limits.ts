// Slow clients hold no connection for long. The server's own limits (set in app.ts from
// config.http: headers, keep-alive, idle, connection cap, and a request timeout at the
// longest any route allows) are per server; this hook gives each route its own time for
// the body to arrive: HTTP_REQUEST_TIMEOUT_MS, or what the route asks for in
// `config.bodyTimeoutMs` (the file uploads: HTTP_UPLOAD_TIMEOUT_MS). A body still
// arriving then gets 408 and the connection is closed.
import fp from 'fastify-plugin';
import { refuse } from '../http/reply.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How long this route waits for the whole body (default: config.http.requestTimeoutMs). */
    bodyTimeoutMs?: number;
  }
}

export default fp(
  async (app) => {
    const { requestTimeoutMs } = app.config.http;
    app.addHook('onRequest', async (request, reply) => {
      const raw = request.raw;
      const hasBody = raw.headers['transfer-encoding'] !== undefined || (raw.headers['content-length'] ?? '0') !== '0';
      if (!hasBody || raw.complete) return;
      const limitMs = request.routeOptions.config?.bodyTimeoutMs ?? requestTimeoutMs;
      const timer = setTimeout(() => {
        if (raw.complete || reply.sent) return;
        request.log.info({ limitMs, url: raw.url }, 'request body too slow: cut off');
        void refuse(reply.header('connection', 'close'), 'request-timeout', `请求内容发送过慢，已超时 (the body did not arrive within ${Math.round(limitMs / 1000)} s)`);
        // Nothing more is read from this client.
        reply.raw.once('finish', () => raw.socket?.destroy());
      }, limitMs);
      timer.unref();
      reply.raw.once('close', () => clearTimeout(timer));
    });
  },
  { name: 'http-limits', dependencies: ['services'] },
);
